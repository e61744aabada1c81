function c10k(r) { setTimeout(() => r.return(200, 'hello world\n'), 1000); }
export default { c10k };
