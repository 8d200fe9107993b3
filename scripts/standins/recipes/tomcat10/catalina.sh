#!/bin/sh
# Stand-in for Tomcat's catalina.sh: only `run` (the official image's command), in the foreground.
CATALINA_HOME="${CATALINA_HOME:-/usr/local/tomcat}"
CATALINA_BASE="${CATALINA_BASE:-$CATALINA_HOME}"
[ "${1:-run}" = run ] || { echo "catalina.sh stand-in: only 'run' is supported" >&2; exit 1; }
# shellcheck disable=SC2086
exec java $JAVA_OPTS $CATALINA_OPTS \
  -Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager \
  -Djava.util.logging.config.file="$CATALINA_BASE/conf/logging.properties" \
  -Dcatalina.home="$CATALINA_HOME" -Dcatalina.base="$CATALINA_BASE" \
  -Djava.io.tmpdir="$CATALINA_BASE/temp" \
  -cp "$CATALINA_HOME/lib/*" org.apache.catalina.startup.Bootstrap start
