"""A FastAPI app served by gunicorn with uvicorn workers (the Procfile's web process)."""
from fastapi import FastAPI

app = FastAPI()


@app.get("/")
def index():
    return {"hello": "fastapi"}
