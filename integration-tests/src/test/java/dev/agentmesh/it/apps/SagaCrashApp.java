package dev.agentmesh.it.apps;

import dev.agentmesh.api.Compensation;
import dev.agentmesh.api.Hypervisor;
import dev.agentmesh.api.Saga;
import dev.agentmesh.api.SagaRecovery;
import dev.agentmesh.api.SagaState;
import dev.agentmesh.api.Session;
import dev.agentmesh.api.SessionConfig;
import dev.agentmesh.api.StepContext;
import dev.agentmesh.api.UnfinishedSaga;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * The trip saga of {@code SagaCrashIT}, in a session, as agent {@value #AGENT}: "flight" (returns a {@link Booking}
 * record, so the saga value codec carries it across the restart), "hotel" (a String), "charge" (a String, or a
 * declined card). Every action and every compensation appends one line to the ledger, the side-effect log of the
 * downstream services, and forces it to disk before going on:
 *
 * <pre>
 * ACTION &lt;step&gt; &lt;idempotencyKey&gt; &lt;result&gt;
 * UNDO &lt;step&gt; &lt;idempotencyKey&gt; &lt;result or null&gt;
 * </pre>
 *
 * The line <em>is</em> the side effect: an action's line is written when it books, a compensation's when it cancels.
 * The key is the one {@link Saga#currentStep()} gives on the thread running the action or compensation. The ledger
 * does not de-duplicate: it is what an idempotent downstream service would receive, and the test judges it.
 *
 * <ul>
 * <li>{@code run <killPoint> <ledger> <marker>}: runs the saga. At the kill point (see {@link KillPoint}) it writes
 * {@code <sagaId> <killPoint>} to the marker file (atomically) and sleeps for ever, for the test to SIGKILL it. Kill
 * points taken by a debugger breakpoint instead run the saga straight through; they are killed before it ends.
 * A run that gets to its end prints {@code END <state>} and exits 3: it should have been killed.</li>
 * <li>{@code recover <ledger> [DURING_RECOVERY <marker>]}: registers the three compensations with
 * {@link SagaRecovery}, prints {@code UNFINISHED <sagaId> <state> <toCompensate> <sessionId> <agentId>} for each
 * unfinished saga, recovers, and prints {@code RECOVERED <sagaId> <state>} for each, {@code LEFT <n>} (what
 * {@code unfinished()} finds after) and {@code DONE}. With {@code DURING_RECOVERY}, the flight's compensation blocks
 * at the marker after cancelling, for the test to kill the recovery too.</li>
 * </ul>
 * Every action and compensation also prints {@code CTX <ACTION|UNDO> <step> <sagaId> <attempt> <compensating>} from
 * the {@link StepContext} it sees.
 */
public final class SagaCrashApp {

    /** The saga's name: recovery finds the compensations by it. */
    public static final String SAGA = "trip";
    /** The agent the saga runs as (ring 2 in the matrix policy). */
    public static final String AGENT = "agent-r2";
    /** What the flight action books. */
    public static final Booking FLIGHT = new Booking("BK-flight-1", "LHR-JFK", 2);
    /** What the hotel action books. */
    public static final String HOTEL = "BK-hotel-1";
    /** What the charge action returns when the card is not declined. */
    public static final String RECEIPT = "RC-charge-1";

    /** Where the run is killed. */
    public enum KillPoint {
        /**
         * Flight completed (its STEP_COMPLETED is on the trail) and hotel not started (no STEP_STARTED). No app code
         * runs between those two records, so the test's debugger stops the JVM on its way into the journal write of
         * hotel's STEP_STARTED, and kills it there. All steps succeed.
         */
        BEFORE_HOTEL(false, true),
        /** Hotel's action booked (its ACTION line is on disk) and blocks before returning: its outcome is unknown. */
        DURING_HOTEL(false, false),
        /**
         * All three steps completed (charge's STEP_COMPLETED is on the trail), SAGA_COMPLETED not written: killed by
         * the debugger on its way into that write, inside {@code run()}. All steps succeed.
         */
        AFTER_CHARGE(false, true),
        /**
         * Charge declined, the saga compensating: hotel's compensation cancelled (its UNDO line is on disk) and
         * blocks before returning, so COMPENSATION_STARTED has no outcome on the trail.
         */
        DURING_UNDO_HOTEL(true, false),
        /**
         * Charge declined; hotel's compensation completed (COMPENSATION_COMPLETED on the trail); flight's
         * compensation started and blocks before cancelling anything.
         */
        DURING_UNDO_FLIGHT(true, false),
        /**
         * A crash during recovery. The run dies as at DURING_HOTEL; then the first recovery dies too: it has undone
         * the hotel (COMPENSATION_COMPLETED on the trail) and cancelled the flight (its UNDO line is on disk), and
         * blocks before the flight's compensation returns. A second recovery finishes the saga.
         */
        DURING_RECOVERY(false, false);

        private final boolean chargeDeclined;
        private final boolean byDebugger;

        KillPoint(boolean chargeDeclined, boolean byDebugger) {
            this.chargeDeclined = chargeDeclined;
            this.byDebugger = byDebugger;
        }

        /** @return whether the charge step throws (a declined card), making the saga compensate */
        public boolean chargeDeclined() {
            return chargeDeclined;
        }

        /** @return whether the run blocks in the hotel action after booking */
        boolean blocksInHotel() {
            return this == DURING_HOTEL || this == DURING_RECOVERY;
        }

        /** @return whether the test's debugger kills the run, rather than the app blocking at a marker */
        public boolean byDebugger() {
            return byDebugger;
        }
    }

    /**
     * The flight booking.
     *
     * @param ref the booking reference
     * @param route the route
     * @param seats how many seats
     */
    public record Booking(String ref, String route, int seats) {

        /** @return the ledger's text for it, one token */
        public String text() {
            return ref + "/" + route + "/" + seats;
        }
    }

    private SagaCrashApp() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "run" -> run(KillPoint.valueOf(args[1]), Path.of(args[2]), Path.of(args[3]));
            case "recover" -> recover(Path.of(args[1]), args.length > 2 ? KillPoint.valueOf(args[2]) : null,
                    args.length > 3 ? Path.of(args[3]) : null);
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void run(KillPoint kill, Path ledger, Path marker) {
        Session session = Hypervisor.get().createSession(SessionConfig.builder().build());
        Saga saga = session.saga(SAGA).as(AGENT);
        line("SAGA " + saga.id() + " " + session.id());
        saga.step("flight", () -> {
            append(ledger, "ACTION", "flight", FLIGHT.text());
            return FLIGHT;
        }, undoFlight(ledger, kill == KillPoint.DURING_UNDO_FLIGHT ? Block.BEFORE_EFFECT : Block.NONE, kill,
                marker));
        saga.step("hotel", () -> {
            append(ledger, "ACTION", "hotel", HOTEL);
            if (kill.blocksInHotel()) {
                block(marker, kill);
            }
            return HOTEL;
        }, undoHotel(ledger, kill == KillPoint.DURING_UNDO_HOTEL ? Block.AFTER_EFFECT : Block.NONE, kill, marker));
        saga.step("charge", () -> {
            if (kill.chargeDeclined()) {
                throw new IllegalStateException("card declined");
            }
            append(ledger, "ACTION", "charge", RECEIPT);
            return RECEIPT;
        }, undoCharge(ledger));
        SagaState end = saga.run();
        line("END " + end + " " + saga.failure().map(Throwable::toString).orElse(""));
        System.exit(3);
    }

    private static void recover(Path ledger, KillPoint kill, Path marker) {
        SagaRecovery recovery = Hypervisor.get().sagaRecovery()
                .compensation(SAGA, "flight", Booking.class,
                        undoFlight(ledger, kill == KillPoint.DURING_RECOVERY ? Block.AFTER_EFFECT : Block.NONE, kill,
                                marker))
                .compensation(SAGA, "hotel", String.class, undoHotel(ledger, Block.NONE, kill, marker))
                .compensation(SAGA, "charge", String.class, undoCharge(ledger));
        for (UnfinishedSaga u : recovery.unfinished()) {
            line("UNFINISHED " + u.sagaId() + " " + u.state() + " " + String.join(",", u.toCompensate()) + " "
                    + u.sessionId() + " " + u.agentId());
        }
        Map<String, SagaState> recovered = recovery.recover();
        recovered.forEach((id, state) -> line("RECOVERED " + id + " " + state));
        line("LEFT " + recovery.unfinished().size());
        line("DONE");
    }

    /** Where a compensation blocks for the kill, if it does. */
    private enum Block {
        NONE, BEFORE_EFFECT, AFTER_EFFECT
    }

    /** Cancels the flight, blocking before or after as told. */
    private static Compensation<Booking> undoFlight(Path ledger, Block block, KillPoint kill, Path marker) {
        return booking -> {
            if (block == Block.BEFORE_EFFECT) {
                block(marker, kill);
            }
            append(ledger, "UNDO", "flight", booking == null ? null : booking.text());
            if (block == Block.AFTER_EFFECT) {
                block(marker, kill);
            }
        };
    }

    /** Cancels the hotel, blocking after as told. */
    private static Compensation<String> undoHotel(Path ledger, Block block, KillPoint kill, Path marker) {
        return booking -> {
            append(ledger, "UNDO", "hotel", booking);
            if (block == Block.AFTER_EFFECT) {
                block(marker, kill);
            }
        };
    }

    private static Compensation<String> undoCharge(Path ledger) {
        return receipt -> append(ledger, "UNDO", "charge", receipt);
    }

    /** Appends one ledger line, forced to disk, with the key of the step running on this thread. */
    private static synchronized void append(Path ledger, String what, String step, String result) {
        StepContext ctx = Saga.currentStep().orElseThrow(() -> new IllegalStateException("no saga step bound"));
        line("CTX " + what + " " + ctx.step() + " " + ctx.sagaId() + " " + ctx.attempt() + " " + ctx.compensating());
        String text = what + " " + step + " " + ctx.idempotencyKey() + " " + (result == null ? "null" : result) + "\n";
        try (FileChannel ch = FileChannel.open(ledger, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the marker (atomically, so the test never reads half of it), then sleeps until killed. */
    private static void block(Path marker, KillPoint kill) {
        String sagaId = Saga.currentStep().map(StepContext::sagaId).orElse("?");
        try {
            Path tmp = marker.resolveSibling(marker.getFileName() + ".tmp");
            Files.writeString(tmp, sagaId + " " + kill + "\n");
            Files.move(tmp, marker, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        line("BLOCKED " + kill);
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // the saga does not stop undoing on an interrupt, and neither does this: only the kill ends it
            }
        }
    }

    private static void line(String s) {
        System.out.println(s);
        System.out.flush();
    }
}
