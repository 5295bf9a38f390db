package dev.agentmesh.benchmarks.startup;

/** The hello world whose time to {@code main} {@link dev.agentmesh.benchmarks.StartupBenchmark} measures. */
public final class HelloWorld {

    private HelloWorld() {
    }

    /**
     * Prints {@code main} and ends.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.out.println("main");
    }
}
