#!/usr/bin/env bash
# The main job: build everything, run the research-desk example under the agent, then verify and show its trail.
# Needs only a JDK 17+ and Maven. The first run downloads dependencies from Maven Central.
set -euo pipefail
cd "$(dirname "$0")"

out=target/demo
rm -rf "$out"
mkdir -p "$out"

echo "==> Building the agent, the audit reader and the examples (mvn package, tests skipped; "mvn verify" runs them)"
mvn -B -q -ntp -DskipTests package

agent=javaagent/target/agentmesh-javaagent.jar
reader=audit-reader/target/agentmesh-audit-reader.jar
api=$(ls api-annotations/target/agentmesh-api-*.jar | head -1)

echo
echo "==> Making a checkpoint signing key: java -jar $reader keygen"
java -jar "$reader" keygen --private "$out/keys/checkpoint.pem" --public "$out/keys/checkpoint.pub.pem" --name desk

echo
echo "==> Running the research desk with -javaagent:$agent"
java "-javaagent:$agent=policy=examples/research-desk-policy.yaml,audit.dir=$out/audit,checkpoint.key=$out/keys/checkpoint.pem,checkpoint.key.name=desk,checkpoint.anchor=$out/anchor/desk.note" \
  -cp "examples/target/agentmesh-examples.jar:$api" \
  dev.agentmesh.examples.researchdesk.ResearchDesk "$out/desk"

echo
echo "==> Verifying the audit trail, its signed checkpoint and the anchor copy"
echo "    java -jar $reader verify $out/audit --pubkey $out/keys/checkpoint.pub.pem --key-name desk --anchor $out/anchor/desk.note"
java -jar "$reader" verify "$out/audit" --pubkey "$out/keys/checkpoint.pub.pem" --key-name desk \
  --anchor "$out/anchor/desk.note"

echo
echo "==> The audit trail: java -jar $reader export $out/audit --format text"
java -jar "$reader" export "$out/audit" --format text
