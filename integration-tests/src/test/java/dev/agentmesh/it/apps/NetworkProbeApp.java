package dev.agentmesh.it.apps;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Resolves a host name: the control that shows the recorder does record network use. */
public final class NetworkProbeApp {

    private NetworkProbeApp() {
    }

    public static void main(String[] args) {
        try {
            InetAddress.getByName("agentmesh-probe.invalid");
        } catch (UnknownHostException expected) {
            System.out.println("resolution failed, as it should offline");
        }
    }
}
