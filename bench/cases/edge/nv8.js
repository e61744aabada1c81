export default function (req, res) {
    const user = req.headers['x-user'];
    if (!user) {
        res.writeHead(401);
        res.end();
        return;
    }
    req.headers['x-user-id'] = user;
    req.url = '/backend/' + req.url.slice('/edge/'.length);
}
