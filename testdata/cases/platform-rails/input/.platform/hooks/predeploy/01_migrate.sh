#!/bin/sh
bundle exec rake db:migrate
