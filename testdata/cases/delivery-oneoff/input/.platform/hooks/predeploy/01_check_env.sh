#!/bin/sh
python manage.py check --deploy
