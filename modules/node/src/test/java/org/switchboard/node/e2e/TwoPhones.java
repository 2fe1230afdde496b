package org.switchboard.node.e2e;

import java.util.Optional;

import org.switchboard.sip.SipResponse;

/** The two phones of a call test on one proxy address: alice calls from 127.0.0.1, bob is registered on 127.0.0.2. */
record TwoPhones(DialogPhone alice, DialogPhone bob) implements AutoCloseable {
    static TwoPhones withBobRegistered(String proxy) {
        DialogPhone alice = new DialogPhone("alice", proxy);
        DialogPhone bob = new DialogPhone("bob", proxy, "127.0.0.2", Optional.empty());
        SipResponse registered = bob.register();
        if (registered.status() != 200) {
            alice.close();
            bob.close();
            throw new AssertionError("bob's REGISTER was answered " + registered.status() + ", not 200");
        }
        return new TwoPhones(alice, bob);
    }

    @Override
    public void close() {
        alice.close();
        bob.close();
    }
}
