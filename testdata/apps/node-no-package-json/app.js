// EB's Node.js platform runs app.js (then server.js, app/app.js) when there is no package.json.
const http = require("http");
const port = process.env.PORT || 8080;
http
  .createServer((req, res) => {
    res.writeHead(200, { "Content-Type": "text/plain" });
    res.end("hello without package.json\n");
  })
  .listen(port, () => console.log(`listening on ${port}`));
