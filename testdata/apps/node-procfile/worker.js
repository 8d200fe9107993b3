// The worker process: no HTTP, a loop.
setInterval(() => console.log("working"), 10000);
