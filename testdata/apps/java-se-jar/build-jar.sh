#!/bin/sh
# How application.jar was made (JDK 17, no build tool). Run from this folder.
set -e
rm -rf build && mkdir build
javac --release 17 -d build src/com/example/Main.java
jar --create --file application.jar --main-class com.example.Main --date=2024-01-01T00:00:00Z -C build .
rm -rf build
