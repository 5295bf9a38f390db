package dev.agentmesh.it.apps;

import com.sun.tools.attach.VirtualMachine;

/**
 * Loads and calls a tool class, and makes a lambda and a method reference implementing a {@code @Ring} interface
 * method, then attaches the agent to itself: what was loaded before the agent must be governed from then on. Touches no AgentMesh API class before the attach (with
 * {@code touch-api-first} it does, and the agent must refuse the attach while the application runs on).
 */
public final class LateAttachApp {

    private LateAttachApp() {
    }

    public static void main(String[] args) throws Exception {
        Tools tools = new Tools();
        tools.ring0();
        System.out.println("before-attach ring0 RAN");
        OverridesApp.Payments reference = new OverridesApp.Teller()::send;
        OverridesApp.Payments lambda = to -> "paid " + to;
        System.out.println("before-attach " + reference.pay("ada") + ", " + lambda.pay("ada"));
        if (args.length > 2 && args[2].equals("touch-api-first")) {
            System.out.println("API " + Class.forName("dev.agentmesh.api.AgentContext").getName());
        }
        VirtualMachine vm = VirtualMachine.attach(String.valueOf(ProcessHandle.current().pid()));
        try {
            vm.loadAgent(args[0], args[1]);
            System.out.println("ATTACHED");
        } catch (Exception e) {
            System.out.println("ATTACH REFUSED " + e.getClass().getSimpleName());
        } finally {
            vm.detach();
        }
        AfterAttach.run(tools, reference, lambda);
    }
}
