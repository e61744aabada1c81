export default async function (req, res) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    res.end('hello world\n');
}
