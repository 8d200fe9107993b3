const api = process.env.API_URL;
module.exports = { api };
