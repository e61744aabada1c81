// atob and btoa: forgiving base64 and InvalidCharacterError.
function show(fn) {
    try {
        console.log('ok', JSON.stringify(fn()));
    } catch (e) {
        console.log('threw', e.constructor.name, e.name, e.code);
    }
}

show(() => btoa(''));
show(() => btoa('f'));
show(() => btoa('fo'));
show(() => btoa('foo'));
show(() => btoa('\xff\xfe\x00'));
show(() => btoa(null));
show(() => btoa('\u0100'));
show(() => atob('Zm9v'));
show(() => atob(' Z m 9 v\n'));
show(() => atob('Zg'));
show(() => atob('Zg=='));
show(() => atob('Zg='));
show(() => atob('Zm9vYg'));
show(() => atob('Z'));
show(() => atob('Zg==='));
show(() => atob('Zm9v!'));
show(() => atob('//79'));
show(() => atob(undefined));
show(() => atob());
