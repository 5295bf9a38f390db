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

# ---------------------------------------------------------------------------------------------------------------------
# Trip booking: a durable saga (flight, hotel, charge) on its own trail, signed with the same checkpoint key.
# ---------------------------------------------------------------------------------------------------------------------
trip_agent="-javaagent:$agent=policy=examples/trip-policy.yaml,audit.dir=$out/trip-audit,checkpoint.key=$out/keys/checkpoint.pem,checkpoint.key.name=desk"
trip_cp="examples/target/agentmesh-examples.jar:$api"
trip_main=dev.agentmesh.examples.trip.TripBooking

echo
echo "==> Trip booking, a saga: flight, hotel, charge; the card is declined, so the hotel, then the flight, are cancelled"
java "$trip_agent" -cp "$trip_cp" "$trip_main" book "$out/trip"

echo
echo "==> Trip booking that crashes: the JVM halts while the hotel step runs (exit code 3 expected)"
crash_exit=0
crash_out=$(java "$trip_agent" -cp "$trip_cp" "$trip_main" crash "$out/trip") || crash_exit=$?
printf '%s\n' "$crash_out"
if [ "$crash_exit" -ne 3 ]; then
  echo "the crash run exited with $crash_exit, not 3" >&2
  exit 1
fi
crashed_saga=$(printf '%s\n' "$crash_out" | sed -n 's/.*saga \(trip-[0-9a-f]*\) as .*/\1/p' | head -1)

echo
echo "==> Recovery in a fresh JVM: the unfinished saga on the trail is compensated"
java "$trip_agent" -cp "$trip_cp" "$trip_main" recover "$out/trip"

echo
echo "==> Verifying the trip trail and its signed checkpoint"
echo "    java -jar $reader verify $out/trip-audit --pubkey $out/keys/checkpoint.pub.pem --key-name desk"
java -jar "$reader" verify "$out/trip-audit" --pubkey "$out/keys/checkpoint.pub.pem" --key-name desk

echo
echo "==> The trip trail: java -jar $reader export $out/trip-audit --format text"
java -jar "$reader" export "$out/trip-audit" --format text

echo
echo "==> The crashed saga's timeline, across both runs: java -jar $reader saga $out/trip-audit $crashed_saga"
java -jar "$reader" saga "$out/trip-audit" "$crashed_saga"
