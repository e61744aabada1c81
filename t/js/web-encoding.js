// TextDecoder and TextDecoderStream per the WHATWG Encoding Standard:
// labels, the legacy single-byte indexes, the CJK decoders (on ICU),
// UTF-16, x-user-defined, fatal, ignoreBOM and {stream: true}.  Expected
// values are the spec's (its index-*.txt files and decoder algorithms);
// each line prints "ok" or what came instead.
const hex = (s) => [...s].map((c) => c.codePointAt(0).toString(16)
    .padStart(4, '0')).join(' ');

function check(what, got, want) {
    if (got === want) {
        console.log('ok', what);
    } else {
        console.log('FAIL', what, `got [${got}] want [${want}]`);
    }
}

function decode(label, bytes, opts) {
    return new TextDecoder(label, opts).decode(new Uint8Array(bytes));
}

function threw(fn) {
    try {
        fn();
        return 'no error';
    } catch (e) {
        return `${e.name} ${e.code}`;
    }
}

// ---------------------------------------------------------------- labels

const labels = {
    'utf8': 'utf-8', 'unicode-1-1-utf-8': 'utf-8', 'x-unicode20utf8': 'utf-8',
    ' \t\n\f\rUTF-8 \r': 'utf-8',
    'latin1': 'windows-1252', 'ASCII': 'windows-1252',
    'iso-8859-1': 'windows-1252', 'us-ascii': 'windows-1252',
    'iso-8859-9': 'windows-1254', 'latin5': 'windows-1254',
    'iso-8859-11': 'windows-874', 'tis-620': 'windows-874',
    'cp866': 'ibm866', 'l2': 'iso-8859-2', 'greek': 'iso-8859-7',
    'visual': 'iso-8859-8', 'logical': 'iso-8859-8-i',
    'koi8': 'koi8-r', 'koi8-ru': 'koi8-u', 'mac': 'macintosh',
    'x-mac-ukrainian': 'x-mac-cyrillic',
    'gb2312': 'gbk', 'chinese': 'gbk', 'x-gbk': 'gbk', 'gb18030': 'gb18030',
    'big5-hkscs': 'big5', 'cn-big5': 'big5',
    'x-euc-jp': 'euc-jp', 'csiso2022jp': 'iso-2022-jp',
    'sjis': 'shift_jis', 'ms932': 'shift_jis', 'windows-31j': 'shift_jis',
    'korean': 'euc-kr', 'windows-949': 'euc-kr',
    'utf-16': 'utf-16le', 'ucs-2': 'utf-16le', 'unicode': 'utf-16le',
    'unicodefffe': 'utf-16be', 'UTF-16BE': 'utf-16be',
    'x-user-defined': 'x-user-defined',
};
for (const [label, name] of Object.entries(labels)) {
    check(`label ${JSON.stringify(label)}`, new TextDecoder(label).encoding,
          name);
}
check('default label', new TextDecoder().encoding, 'utf-8');

// the replacement encoding's labels, and no labels at all
for (const label of ['iso-2022-kr', 'csiso2022kr', 'hz-gb-2312',
                     'iso-2022-cn', 'iso-2022-cn-ext', 'replacement',
                     'utf-7', 'utf-32', 'utf-16 le', '\u000butf-8',
                     'utf-8\u00a0', 'iso-8859-1\u0000', '']) {
    check(`label ${JSON.stringify(label)} throws`,
          threw(() => new TextDecoder(label)),
          'RangeError ERR_ENCODING_NOT_SUPPORTED');
}

// ------------------------------------------------------------ single-byte

const all = Array.from({ length: 256 }, (_, i) => i);
check('windows-1252 0x00-0x7f is ASCII',
      decode('windows-1252', all.slice(0, 128)),
      String.fromCharCode(...all.slice(0, 128)));
check('windows-1252 0x80-0x9f (index, controls where Windows has none)',
      hex(decode('windows-1252', all.slice(0x80, 0xa0))),
      '20ac 0081 201a 0192 201e 2026 2020 2021 02c6 2030 0160 2039 0152 ' +
      '008d 017d 008f 0090 2018 2019 201c 201d 2022 2013 2014 02dc 2122 ' +
      '0161 203a 0153 009d 017e 0178');
check('windows-1252 0xa0-0xff is Latin-1',
      decode('latin1', all.slice(0xa0)),
      String.fromCharCode(...all.slice(0xa0)));
check('iso-8859-2', hex(decode('iso-8859-2', [0xa1, 0xa3, 0xb1, 0xc8, 0xff])),
      '0104 0141 0105 010c 02d9');
check('iso-8859-2 0x80 is a C1 control', hex(decode('iso-8859-2', [0x80])),
      '0080');
check('iso-8859-16 (not in ICU)',
      hex(decode('iso-8859-16', [0x80, 0xa4, 0xaa, 0xba, 0xde, 0xfe, 0xff])),
      '0080 20ac 0218 0219 021a 021b 00ff');
check('koi8-u 0xae 0xbe (the spec, not ICU)',
      hex(decode('koi8-u', [0xad, 0xae, 0xbd, 0xbe])),
      '0491 045e 0490 040e');
check('koi8-r', decode('koi8-r', [0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4]),
      'Привет');
check('windows-1251', decode('cp1251', [0xcf, 0xf0, 0xe8]), 'При');
check('windows-1255 0xca', hex(decode('windows-1255', [0xca, 0xe0])),
      '05ba 05d0');
check('windows-1253 0xaa is unmapped',
      hex(decode('windows-1253', [0xaa, 0xc1])), 'fffd 0391');
check('windows-874 0xdb is unmapped, fatal',
      threw(() => decode('windows-874', [0xa1, 0xdb], { fatal: true })),
      'TypeError ERR_ENCODING_INVALID_ENCODED_DATA');
check('windows-874 0xa1', hex(decode('windows-874', [0xa1, 0xfc])),
      '0e01 fffd');
check('iso-8859-8 0xd0 is unmapped', hex(decode('iso-8859-8', [0xd0, 0xe0])),
      'fffd 05d0');
check('iso-8859-3 0xa5 fatal',
      threw(() => decode('iso-8859-3', [0xa5], { fatal: true })),
      'TypeError ERR_ENCODING_INVALID_ENCODED_DATA');
check('macintosh', hex(decode('macintosh', [0x80, 0xdb, 0xf0])),
      '00c4 20ac f8ff');
check('x-mac-cyrillic', hex(decode('x-mac-cyrillic', [0x80, 0xa2, 0xff])),
      '0410 0490 20ac');
check('ibm866', hex(decode('ibm866', [0x80, 0xf0, 0xff])), '0410 0401 00a0');
check('every single-byte encoding decodes 256 bytes to 256 code units',
      ['ibm866', 'iso-8859-2', 'iso-8859-3', 'iso-8859-4', 'iso-8859-5',
       'iso-8859-6', 'iso-8859-7', 'iso-8859-8', 'iso-8859-8-i',
       'iso-8859-10', 'iso-8859-13', 'iso-8859-14', 'iso-8859-15',
       'iso-8859-16', 'koi8-r', 'koi8-u', 'macintosh', 'windows-874',
       'windows-1250', 'windows-1251', 'windows-1252', 'windows-1253',
       'windows-1254', 'windows-1255', 'windows-1256', 'windows-1257',
       'windows-1258', 'x-mac-cyrillic']
          .filter((e) => decode(e, all).length !== 256).join(), '');
check('x-user-defined', hex(decode('x-user-defined', [0x41, 0x80, 0xff])),
      '0041 f780 f7ff');

// ------------------------------------------------------------ multi-byte

check('shift_jis', decode('shift_jis', [0x93, 0xfa, 0x96, 0x7b, 0x8c, 0xea,
                                        0x82, 0xa0, 0xb1]), '日本語あｱ');
check('shift_jis 0x5c 0x7e are ASCII', decode('shift_jis', [0x5c, 0x7e]),
      '\\~');
check('shift_jis NEC row 13', hex(decode('shift_jis', [0x87, 0x40])), '2460');
check('euc-jp', decode('euc-jp', [0xc6, 0xfc, 0xcb, 0xdc, 0xb8, 0xec]),
      '日本語');
check('euc-jp half-width katakana', hex(decode('euc-jp', [0x8e, 0xb1])),
      'ff71');
check('euc-jp JIS X 0212', hex(decode('euc-jp', [0x8f, 0xb0, 0xa1])), '4e02');
check('iso-2022-jp', decode('iso-2022-jp', [0x1b, 0x24, 0x42, 0x46, 0x7c,
                                            0x4b, 0x5c, 0x1b, 0x28, 0x42,
                                            0x41]), '日本A');
check('gbk', decode('gbk', [0xd6, 0xd0, 0xce, 0xc4]), '中文');
check('gbk decodes GB18030 four-byte sequences',
      hex(decode('gbk', [0x81, 0x30, 0x81, 0x30])), '0080');
check('gb18030 astral', hex(decode('gb18030', [0x90, 0x30, 0x81, 0x30])),
      '10000');
check('gb18030 0x84 0x31 0xa4 0x39', hex(decode('gb18030', [0x84, 0x31,
                                                            0xa4, 0x39])),
      'ffff');
check('gbk 0x80 is the euro sign', hex(decode('gbk', [0x41, 0x80, 0x81, 0x80])),
      '0041 20ac 4e90');
check('gb18030 0x80, fatal', hex(decode('gb18030', [0x80], { fatal: true })),
      '20ac');
check('shift_jis 0x80 is U+0080', hex(decode('shift_jis', [0x80, 0xa0])),
      '0080 fffd');
check('shift_jis user-defined area is private use',
      hex(decode('shift_jis', [0xf0, 0x40])), 'e000');
check('big5', decode('big5', [0xa4, 0xa4, 0xa4, 0xe5]), '中文');
check('big5 HKSCS 0x87 0x40', hex(decode('big5', [0x87, 0x40])), '43f0');
check('euc-kr', decode('euc-kr', [0xc7, 0xd1, 0xb1, 0xb9, 0xbe, 0xee]),
      '한국어');
check('euc-kr is windows-949 (UHC)', hex(decode('euc-kr', [0x81, 0x41])),
      'ac02');

// errors, not fatal: U+FFFD, and an ASCII byte is not swallowed
check('shift_jis unmapped pair keeps its ASCII byte',
      hex(decode('shift_jis', [0x82, 0x41])), 'fffd 0041');
check('shift_jis bad trail byte', hex(decode('shift_jis', [0x82, 0x20])),
      'fffd 0020');
check('euc-jp bad trail byte', hex(decode('euc-jp', [0xa4, 0x20])),
      'fffd 0020');
check('gbk bad trail byte', hex(decode('gbk', [0x81, 0x20, 0x41])),
      'fffd 0020 0041');
check('shift_jis truncated at the end', hex(decode('shift_jis', [0x41, 0x82])),
      '0041 fffd');

// fatal
for (const [label, bytes] of [['shift_jis', [0x82]], ['shift_jis', [0xa0]],
                              ['gbk', [0xff]], ['big5', [0xa4]],
                              ['euc-kr', [0xc7, 0x20]],
                              ['euc-jp', [0x8f, 0xb0]],
                              ['iso-2022-jp', [0x1b, 0x24, 0x42, 0x46]]]) {
    check(`fatal ${label} ${hex(String.fromCharCode(...bytes))}`,
          threw(() => decode(label, bytes, { fatal: true })),
          'TypeError ERR_ENCODING_INVALID_ENCODED_DATA');
}
{
    const d = new TextDecoder('shift_jis', { fatal: true });
    threw(() => d.decode(new Uint8Array([0x82]), { stream: false }));
    check('a fatal decoder is reset after its error',
          d.decode(new Uint8Array([0x82, 0xa0])), 'あ');
    check('fatal message', threw(() => d.decode(new Uint8Array([0xa0]))),
          'TypeError ERR_ENCODING_INVALID_ENCODED_DATA');
}

// ------------------------------------------------------------ streaming

function streamed(label, bytes, opts) {
    const d = new TextDecoder(label, opts);
    let s = '';
    for (const b of bytes) {
        s += d.decode(new Uint8Array([b]), { stream: true });
    }
    return s + d.decode();
}

check('shift_jis byte by byte',
      streamed('shift_jis', [0x93, 0xfa, 0x96, 0x7b, 0x41]), '日本A');
check('gb18030 four-byte sequence byte by byte',
      hex(streamed('gb18030', [0x90, 0x30, 0x81, 0x30, 0xd6, 0xd0])),
      '10000 4e2d');
check('iso-2022-jp keeps its state between chunks',
      streamed('iso-2022-jp', [0x1b, 0x24, 0x42, 0x24, 0x22, 0x24, 0x24,
                               0x1b, 0x28, 0x42, 0x41]), 'あいA');
check('euc-kr byte by byte', streamed('euc-kr', [0xc7, 0xd1, 0xb1, 0xb9]),
      '한국');
check('big5 byte by byte', streamed('big5', [0xa4, 0xa4, 0xa4, 0xe5]), '中文');
check('stream ends inside a character: U+FFFD',
      hex(streamed('shift_jis', [0x41, 0x93])), '0041 fffd');
check('utf-8 byte by byte', streamed('utf-8', [0xe6, 0x97, 0xa5, 0xf0, 0x9f,
                                               0x98, 0x80]), '日😀');
check('windows-1252 byte by byte', streamed('latin1', [0x80, 0xe9]), '€é');

// ------------------------------------------------------------ UTF-16

check('utf-16le', decode('utf-16le', [0x41, 0x00, 0xe5, 0x65]), 'A日');
check('utf-16be', decode('utf-16be', [0x00, 0x41, 0x65, 0xe5]), 'A日');
check('utf-16le surrogate pair',
      decode('utf-16le', [0x3d, 0xd8, 0x00, 0xde]), '😀');
check('utf-16le pair split across chunks',
      streamed('utf-16le', [0x3d, 0xd8, 0x00, 0xde]), '😀');
check('utf-16be pair split across chunks',
      streamed('utf-16be', [0xd8, 0x3d, 0xde, 0x00]), '😀');
check('utf-16le lone lead, then a character',
      hex(decode('utf-16le', [0x3d, 0xd8, 0x41, 0x00])), 'fffd 0041');
check('utf-16le lone trail', hex(decode('utf-16le', [0x00, 0xde])), 'fffd');
check('utf-16le odd byte at the end',
      hex(decode('utf-16le', [0x41, 0x00, 0x42])), '0041 fffd');
check('utf-16le lead at the end', hex(decode('utf-16le', [0x3d, 0xd8])),
      'fffd');
check('utf-16le fatal odd byte',
      threw(() => decode('utf-16le', [0x41], { fatal: true })),
      'TypeError ERR_ENCODING_INVALID_ENCODED_DATA');
check('utf-16be fatal lone surrogate',
      threw(() => decode('utf-16be', [0xdc, 0x00], { fatal: true })),
      'TypeError ERR_ENCODING_INVALID_ENCODED_DATA');

// ------------------------------------------------------------ BOM

check('utf-8 BOM stripped', decode('utf-8', [0xef, 0xbb, 0xbf, 0x41]), 'A');
check('utf-16le BOM stripped', decode('utf-16le', [0xff, 0xfe, 0x41, 0x00]),
      'A');
check('utf-16be BOM stripped', decode('utf-16be', [0xfe, 0xff, 0x00, 0x41]),
      'A');
check('ignoreBOM keeps it',
      hex(decode('utf-16le', [0xff, 0xfe, 0x41, 0x00], { ignoreBOM: true })),
      'feff 0041');
check('a UTF-16BE BOM in UTF-16LE is U+FFFE',
      hex(decode('utf-16le', [0xfe, 0xff])), 'fffe');
check('no BOM sniffing for windows-1252',
      hex(decode('windows-1252', [0xef, 0xbb, 0xbf])), '00ef 00bb 00bf');
check('only one BOM is stripped',
      hex(decode('utf-8', [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf])), 'feff');
{
    const d = new TextDecoder('utf-16le');
    const a = d.decode(new Uint8Array([0xff]), { stream: true });
    const b = d.decode(new Uint8Array([0xfe, 0x41, 0x00]), { stream: true });
    const c = d.decode(new Uint8Array([0xff, 0xfe]));
    check('a BOM split across chunks is stripped; later ones are not',
          hex(a + b + c), '0041 feff');
    check('a new stream strips again',
          d.decode(new Uint8Array([0xff, 0xfe, 0x42, 0x00])), 'B');
}

// ------------------------------------------------------------ UTF-8 fatal

check('utf-8 fatal: an overlong form',
      threw(() => decode('utf-8', [0xc0, 0x80], { fatal: true })),
      'TypeError ERR_ENCODING_INVALID_ENCODED_DATA');
check('utf-8 fatal: U+FFFD itself is fine',
      decode('utf-8', [0xef, 0xbf, 0xbd], { fatal: true }), '\ufffd');
check('utf-8 fatal: U+FFFD itself does not hide an error',
      threw(() => decode('utf-8', [0xef, 0xbf, 0xbd, 0xff], { fatal: true })),
      'TypeError ERR_ENCODING_INVALID_ENCODED_DATA');
check('utf-8 fatal: truncated at the end',
      threw(() => decode('utf-8', [0xe6, 0x97], { fatal: true })),
      'TypeError ERR_ENCODING_INVALID_ENCODED_DATA');

// ------------------------------------------------------------ API

{
    const d = new TextDecoder('Shift_JIS', { fatal: true, ignoreBOM: true });
    check('attributes', `${d.encoding} ${d.fatal} ${d.ignoreBOM}`,
          'shift_jis true true');
    check('decode() of nothing', d.decode(), '');
    check('an ArrayBuffer', decode('gbk', new Uint8Array([0xd6, 0xd0]).buffer),
          '中');
    const dv = new DataView(new Uint8Array([0, 0x82, 0xa0, 0]).buffer, 1, 2);
    check('a DataView', d.decode(dv), 'あ');
    check('a string is refused', threw(() => d.decode('abc')),
          'TypeError ERR_INVALID_ARG_TYPE');
}

// ------------------------------------------------------------ streams

{
    const ts = new TextDecoderStream('shift_jis');
    check('TextDecoderStream encoding', ts.encoding, 'shift_jis');
    const w = ts.writable.getWriter();
    for (const b of [0x93, 0xfa, 0x96]) {
        w.write(new Uint8Array([b]));
    }
    w.write(new Uint8Array([0x7b]));
    w.close();
    let s = '';
    for await (const chunk of ts.readable) {
        s += chunk;
    }
    check('TextDecoderStream shift_jis in pieces', s, '日本');
}
{
    const ts = new TextDecoderStream('utf-8', { fatal: true });
    const w = ts.writable.getWriter();
    w.write(new Uint8Array([0xff])).catch(() => {});
    w.close().catch(() => {});
    let r;
    try {
        for await (const chunk of ts.readable) {
            r = chunk;
        }
        r = 'no error';
    } catch (e) {
        r = `${e.name} ${e.code}`;
    }
    check('TextDecoderStream fatal errors the stream', r,
          'TypeError ERR_ENCODING_INVALID_ENCODED_DATA');
}

// ------------------------------------------------------------ encodeInto

{
    const enc = new TextEncoder();
    const into = (str, n) => {
        const u = new Uint8Array(n);
        const r = enc.encodeInto(str, u);
        return `${r.read} ${r.written} ${hex(String.fromCharCode(...u))}`;
    };
    check('encodeInto all fits', into('a\u00e9', 8),
          '2 3 0061 00c3 00a9 0000 0000 0000 0000 0000');
    check('encodeInto stops before a character that does not fit',
          into('a\u00e9\u65e5', 5), '2 3 0061 00c3 00a9 0000 0000');
    check('encodeInto keeps a pair whole', into('a\ud83d\ude00', 4),
          '1 1 0061 0000 0000 0000');
    check('encodeInto a pair', into('\ud83d\ude00b', 5),
          '3 5 00f0 009f 0098 0080 0062');
    check('encodeInto a lone surrogate is U+FFFD', into('\ud800x', 4),
          '2 4 00ef 00bf 00bd 0078');
    check('encodeInto an empty destination', into('abc', 0), '0 0 ');
    check('encodeInto needs a Uint8Array',
          threw(() => enc.encodeInto('a', new Uint16Array(2))),
          'TypeError ERR_INVALID_ARG_TYPE');
}
