function hello(r) { r.return(200, 'hello world\n'); }
export default { hello };
