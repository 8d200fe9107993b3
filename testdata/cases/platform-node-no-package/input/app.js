const http = require("http");

const server = http.createServer((req, res) => {
  res.writeHead(200, { "Content-Type": "text/plain" });
  res.end("ok\n");
});
server.keepAliveTimeout = 65000;
server.headersTimeout = 66000;
server.listen(process.env.PORT || 8080);
