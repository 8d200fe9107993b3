"""A Flask app as EB's Python platform runs it: `application` in application.py (the default
WSGIPath), served by gunicorn."""
from flask import Flask

application = Flask(__name__)


@application.route("/")
def index():
    return "hello from flask"


if __name__ == "__main__":
    application.run()
