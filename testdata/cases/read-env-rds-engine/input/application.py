import os

from flask import Flask

application = Flask(__name__)
DATABASE = {
    "host": os.environ["RDS_HOSTNAME"],
    "port": int(os.environ["RDS_PORT"]),
    "password": os.environ["RDS_PASSWORD"],
}


@application.route("/")
def index():
    return "ok"
