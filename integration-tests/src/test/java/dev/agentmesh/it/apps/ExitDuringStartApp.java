package dev.agentmesh.it.apps;

/**
 * Exits with code 3 from the first line of main, while the agent is still starting, with a shutdown hook that takes
 * its time (as an application's clean-up may): the agent's start-up meets the shutdown under way.
 */
public final class ExitDuringStartApp {

    private ExitDuringStartApp() {
    }

    public static void main(String[] args) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Thread.sleep(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.out.println("app hook ran");
        }));
        System.exit(3);
    }
}
