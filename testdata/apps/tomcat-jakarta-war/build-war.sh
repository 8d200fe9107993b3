#!/bin/sh
# How ROOT.war was made (javac against the servlet API jar Debian ships: jakarta-servlet-api-5.0.0.jar,
# package libjakarta-servlet-api-java). Run from this folder.
set -e
rm -rf build && mkdir -p build/WEB-INF/classes
javac --release 11 -cp "${SERVLET_API_JAR:-/usr/share/java/jakarta-servlet-api-5.0.0.jar}" -d build/WEB-INF/classes src/main/java/com/example/HelloServlet.java
cp src/main/webapp/WEB-INF/web.xml build/WEB-INF/
(cd build && jar --create --file ../ROOT.war --date=2024-01-01T00:00:00Z .)
rm -rf build
