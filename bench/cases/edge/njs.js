function user(r) { return r.headersIn['x-user'] || ''; }
function uri(r) { return '/backend/' + r.uri.slice('/edge/'.length); }
export default { user, uri };
