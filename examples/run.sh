#!/usr/bin/env bash
# Runs one framework example under the agent, then verifies and shows its audit trail:
#   examples/run.sh langchain4j | spring-ai | mcp
# Needs only a JDK 17+ and Maven. Offline with a scripted model; set OPENAI_API_KEY for a real one (langchain4j and
# spring-ai). The apps hold no AgentMesh code: the agent and the example's policy.yaml are all that govern them.
set -euo pipefail
cd "$(dirname "$0")/.."

name=${1:-}
case "$name" in
  langchain4j|spring-ai|mcp) ;;
  *) echo "usage: examples/run.sh langchain4j|spring-ai|mcp" >&2; exit 64 ;;
esac

out=target/examples/$name
rm -rf "$out"
mkdir -p "$out"

echo "==> Building the agent, the audit reader and the $name example (tests skipped)"
mvn -B -q -ntp -DskipTests -pl "javaagent,audit-reader,examples/$name" -am package

agent=javaagent/target/agentmesh-javaagent.jar
reader=audit-reader/target/agentmesh-audit-reader.jar

echo
echo "==> java -javaagent:$agent=policy=examples/$name/policy.yaml,audit.dir=$out/audit -jar examples/$name/target/agentmesh-example-$name.jar"
java "-javaagent:$agent=policy=examples/$name/policy.yaml,audit.dir=$out/audit" \
  -jar "examples/$name/target/agentmesh-example-$name.jar"

echo
echo "==> Verifying the trail: java -jar $reader verify $out/audit"
java -jar "$reader" verify "$out/audit"

echo
echo "==> The trail: java -jar $reader export $out/audit --format text"
java -jar "$reader" export "$out/audit" --format text
