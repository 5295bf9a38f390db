package dev.agentmesh.it.apps;

import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.Hypervisor;
import dev.agentmesh.api.OpensSaga;
import dev.agentmesh.api.Ring;
import dev.agentmesh.api.Saga;
import dev.agentmesh.api.SagaStep;
import dev.agentmesh.api.Session;
import dev.agentmesh.api.SessionConfig;
import dev.agentmesh.api.StepContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Sagas declared with {@code @OpensSaga} and {@code @SagaStep}, under the real agent. Every action and compensation
 * appends a line to a ledger file (args[1]) the test reads: {@code ok} completes, {@code declined} fails at the
 * charge and is undone, {@code outside} calls a step outside any saga, {@code crash} halts the JVM inside the charge,
 * {@code recover} undoes what {@code crash} left, {@code badcompensation} names a compensation that does not exist.
 */
public final class AnnotatedTripApp {

    /** A step result the saga value codec writes as a record. */
    public record Booking(String ref, String route, int seats) {
    }

    /** The tools: steps and their compensations of all three shapes. */
    public static class TripTools {
        private final Path ledger;

        public TripTools(Path ledger) {
            this.ledger = ledger;
        }

        @SagaStep(compensation = "cancelFlight")
        @Ring(2)
        public Booking bookFlight(String route, int seats) {
            log("ACTION flight " + route + " " + seats + " key " + key());
            return new Booking("BK-" + route, route, seats);
        }

        /** Takes the result. */
        void cancelFlight(Booking booking) {
            log("UNDO flight " + booking + " key " + key() + " as " + AgentContext.currentAgent().orElse("none"));
        }

        @SagaStep(compensation = "cancelHotel", name = "hotel")
        public String bookHotel(String city, int nights) {
            log("ACTION hotel " + city + " " + nights);
            return "H-" + city;
        }

        /** Takes the arguments. */
        private void cancelHotel(String city, int nights) {
            log("UNDO hotel " + city + " " + nights + " key " + key());
        }

        @SagaStep(compensation = "refund", name = "charge")
        public long charge(int amount, boolean decline, boolean crash) throws IOException {
            log("ACTION charge " + amount);
            if (crash) {
                Runtime.getRuntime().halt(3);
            }
            if (decline) {
                throw new IOException("card declined");
            }
            return 1000L + amount;
        }

        /** Takes the result, then the arguments. */
        void refund(long receipt, int amount, boolean decline, boolean crash) {
            log("UNDO charge " + receipt + " " + amount);
        }

        @SagaStep
        public String note(String text) {
            log("ACTION note " + text);
            return text;
        }

        @SagaStep(compensation = "noSuchMethod")
        public String broken() {
            log("ACTION broken");
            return "never";
        }

        @OpensSaga("trip")
        public String bookTrip(boolean decline, boolean crash) throws IOException {
            bookFlight("LHR-JFK", 2);
            bookHotel("NYC", 3);
            note("window seat");
            return "receipt " + charge(1200, decline, crash);
        }

        @OpensSaga("broken")
        public String brokenTrip() {
            return broken();
        }

        private static String key() {
            return Saga.currentStep().map(StepContext::idempotencyKey).orElse("none");
        }

        private void log(String line) {
            try {
                Files.writeString(ledger, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND, StandardOpenOption.SYNC);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private AnnotatedTripApp() {
    }

    public static void main(String[] args) throws Exception {
        TripTools tools = new TripTools(Path.of(args[1]));
        Session session = Hypervisor.get().createSession(SessionConfig.defaults());
        switch (args[0]) {
            case "ok" -> System.out.println("RESULT " + session.runAs("travel-1", () -> tools.bookTrip(false, false)));
            case "declined" -> {
                try {
                    session.runAs("travel-1", () -> tools.bookTrip(true, false));
                } catch (Exception e) { // runAs rethrows the body's IOException unchanged, undeclared
                    System.out.println("THREW " + e.getClass().getSimpleName() + " " + e.getMessage() + " suppressed "
                            + Arrays.toString(e.getSuppressed()));
                }
            }
            case "outside" -> System.out.println("RESULT " + tools.note("plain call"));
            case "crash" -> session.runAs("travel-1", () -> tools.bookTrip(false, true));
            case "recover" -> {
                System.out.println("UNFINISHED " + Hypervisor.get().sagaRecovery().unfinished());
                System.out.println("RECOVERED " + Hypervisor.get().sagaRecovery().target(tools).recover());
            }
            case "badcompensation" -> {
                try {
                    tools.brokenTrip();
                } catch (IllegalStateException e) {
                    System.out.println("REFUSED " + e.getMessage());
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
