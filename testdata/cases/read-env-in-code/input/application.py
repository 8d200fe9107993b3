import os

from flask import Flask

application = Flask(__name__)
application.config["SECRET_KEY"] = os.getenv("SECRET_KEY")
DB = {
    "host": os.environ["RDS_HOSTNAME"],
    "port": os.environ.get("RDS_PORT", "5432"),
    "name": os.environ["RDS_DB_NAME"],
    "user": os.environ["RDS_USERNAME"],
    "password": os.environ["RDS_PASSWORD"],
}
LEVEL = os.environ.get("LOG_LEVEL", "warning")


@application.route("/")
def index():
    return "ok"
