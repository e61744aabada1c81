export default function (req, res) { res.end('hello world\n'); }
