package org.switchboard.node.admin;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.node.CallSweeper;
import org.switchboard.node.activity.Activity;
import org.switchboard.registrar.api.AccountCommand;
import org.switchboard.registrar.api.AccountView;
import org.switchboard.registrar.api.ProvisionAccount;
import org.switchboard.registrar.api.RegistrationCommand;
import org.switchboard.registrar.api.RegistrationEntity;
import org.switchboard.session.api.CallAdminCommand;
import org.switchboard.session.api.CallEntity;
import org.switchboard.session.api.CallView;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.pattern.StatusReply;
import com.typesafe.config.Config;
import org.switchboard.node.cdr.CdrExport;

/**
 * What the admin API does, each operation answered by the entities through sharding (so any node answers for the
 * cluster), as a {@link Reply}. The routes ({@link AdminRoutes}) only map HTTP onto these.
 */
public final class AdminApi {
    private static final Logger log = LoggerFactory.getLogger(AdminApi.class);
    private static final Duration ASK = Duration.ofSeconds(5);
    /** Entities asked at once by the operations that go over many (export, counts, the call list). */
    private static final int IN_FLIGHT = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ActorSystem<?> system;
    private final ClusterSharding sharding;
    private final ActorRef<CallSweeper.Command> sweeper;
    private final SubscriberDirectory directory;
    private final Executor blocking;
    private final Clock clock;
    private final Activity activity;
    private final boolean edge;
    private final CdrExport cdrs;

    /**
     * @param journal  the {@code switchboard.journal} section
     * @param activity this node's edge figures
     * @param edge     whether this node has a SIP edge (the transport role) that feeds {@code activity}
     */
    public AdminApi(ActorSystem<?> system, ActorRef<CallSweeper.Command> sweeper, Config journal, Activity activity,
                    boolean edge) {
        this.system = system;
        this.sharding = ClusterSharding.get(system);
        this.sweeper = sweeper;
        this.directory = new SubscriberDirectory(journal);
        this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
        this.clock = Clock.systemUTC();
        this.activity = activity;
        this.edge = edge;
        this.cdrs = new CdrExport(journal, blocking);
    }

    /** The call detail records' CSV export ({@code GET cdrs}). */
    CdrExport cdrs() {
        return cdrs;
    }

    // ---------------------------------------------------------------- subscribers

    CompletionStage<Reply> subscriber(String typed) {
        return handled(() -> {
            String aor = Aors.normalised(typed);
            return describe(aor).thenApply(v -> v.account()
                    .map(a -> Reply.ok(AdminJson.subscriber(Aors.shown(aor), a, v.bindings(), clock.millis())))
                    .orElseGet(() -> noSubscriber(aor)));
        });
    }

    CompletionStage<Reply> putSubscriber(String typed, String body) {
        return handled(() -> {
            JsonNode json = parse(body);
            SubscriberCsv.Entry e = SubscriberCsv.entry(typed, AdminJson.text(json, "username"),
                    AdminJson.text(json, "realm"), AdminJson.text(json, "password"), AdminJson.text(json, "ha1"),
                    AdminJson.text(json, "ha1Sha256"), Optional.empty());
            return provision(e).thenCompose(outcome -> subscriber(e.aor()));
        });
    }

    CompletionStage<Reply> deleteSubscriber(String typed) {
        return handled(() -> status(Aors.normalised(typed), AccountCommand.Delete::new));
    }

    CompletionStage<Reply> setEnabled(String typed, boolean enabled) {
        return handled(() -> status(Aors.normalised(typed),
                enabled ? AccountCommand.Enable::new : AccountCommand.Disable::new));
    }

    CompletionStage<Reply> setForwarding(String typed, String body) {
        return handled(() -> {
            var rules = AdminJson.forwardingFrom(parse(body));
            return status(Aors.normalised(typed), reply -> new AccountCommand.SetForwarding(rules, reply));
        });
    }

    CompletionStage<Reply> setLimits(String typed, String body) {
        return handled(() -> {
            var limits = AdminJson.limitsFrom(parse(body));
            return status(Aors.normalised(typed), reply -> new AccountCommand.SetCallLimits(limits, reply));
        });
    }

    CompletionStage<Reply> importCsv(String text) {
        return handled(() -> {
            List<SubscriberCsv.Line> lines = SubscriberCsv.parse(text);
            return inBatches(lines, line -> line.entry()
                    .map(e -> provision(e).handle((outcome, failure) -> failure == null
                            ? importLine(line, outcome, "")
                            : importLine(line, "failed", rootMessage(failure))))
                    .orElseGet(() -> CompletableFuture.completedFuture(importLine(line, "failed", line.error()))))
                    .thenApply(AdminApi::importReport);
        });
    }

    CompletionStage<Reply> exportCsv() {
        return handled(() -> allAccounts().thenApply(accounts -> Reply.csv(SubscriberCsv.write(accounts.stream()
                .flatMap(pair -> pair.view().account().map(a -> new SubscriberCsv.Row(Aors.shown(pair.aor()),
                        a.username(), a.realm(), a.ha1Md5(), a.ha1Sha256(), a.enabled())).stream())
                .toList()))));
    }

    // ---------------------------------------------------------------- registrations

    CompletionStage<Reply> registrationCounts() {
        return handled(() -> registrationTotals().thenApply(t -> Reply.ok(AdminJson.object()
                .put("subscribers", t.subscribers()).put("registered", t.registered()).put("bindings", t.bindings()))));
    }

    /** The cluster's subscribers, how many have a live binding, and their live bindings. */
    public record RegistrationTotals(long subscribers, long registered, long bindings) {
    }

    /**
     * {@link RegistrationTotals} over every account of the journal, each described by its entity: one ask per
     * subscriber, {@link #IN_FLIGHT} at a time (the counts above, and the metrics' gauges now and then).
     */
    public CompletionStage<RegistrationTotals> registrationTotals() {
        return allAccounts().thenApply(accounts -> {
            long now = clock.millis();
            long subscribers = 0;
            long registered = 0;
            long bindings = 0;
            for (Described d : accounts) {
                if (d.view().account().isPresent()) {
                    subscribers++;
                    int live = AdminJson.live(d.view().bindings(), now).size();
                    registered += live > 0 ? 1 : 0;
                    bindings += live;
                }
            }
            return new RegistrationTotals(subscribers, registered, bindings);
        });
    }

    CompletionStage<Reply> registrations(String typed) {
        return handled(() -> {
            String aor = Aors.normalised(typed);
            return describe(aor).thenApply(v -> v.account()
                    .map(a -> Reply.ok(AdminJson.registrations(Aors.shown(aor), a, v.bindings(), clock.millis())))
                    .orElseGet(() -> noSubscriber(aor)));
        });
    }

    /**
     * The subscribers whose address contains {@code text} (any case), at most {@code limit}, with their live
     * bindings. Reads the list of AORs from the journal as the export does, then asks only the matching entities.
     */
    CompletionStage<Reply> searchRegistrations(String text, int limit) {
        return handled(() -> {
            String wanted = text.strip().toLowerCase(java.util.Locale.ROOT);
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return directory.aors();
                } catch (java.sql.SQLException e) {
                    throw new CompletionException(e);
                }
            }, blocking).thenCompose(aors -> {
                List<String> matching = aors.stream()
                        .filter(aor -> Aors.shown(aor).toLowerCase(java.util.Locale.ROOT).contains(wanted)).toList();
                List<String> asked = matching.subList(0, Math.min(limit, matching.size()));
                return inBatches(asked, aor -> describe(aor).thenApply(v -> new Described(aor, v)))
                        .thenApply(found -> {
                            long now = clock.millis();
                            ObjectNode out = AdminJson.object();
                            ArrayNode list = out.putArray("aors");
                            found.forEach(d -> d.view().account().ifPresent(a -> list.add(AdminJson.registrationSummary(
                                    Aors.shown(d.aor()), a, d.view().bindings(), now))));
                            out.put("truncated", matching.size() > asked.size());
                            return Reply.ok(out);
                        });
            });
        });
    }

    /** @param contact a contact URI or +sip.instance; none: every binding */
    CompletionStage<Reply> removeBindings(String typed, Optional<String> contact) {
        return handled(() -> status(Aors.normalised(typed),
                reply -> new AccountCommand.RemoveBinding(contact.orElse("*"), reply)));
    }

    // ---------------------------------------------------------------- calls

    CompletionStage<Reply> calls(int limit) {
        return handled(() -> AskPattern.<CallSweeper.Command, CallSweeper.CallsUp>ask(sweeper,
                        reply -> new CallSweeper.ListCalls(limit, reply), ASK, system.scheduler())
                .thenCompose(up -> inBatches(up.calls(), c -> describeCall(c.callId()))
                        .thenApply(views -> {
                            long now = clock.millis();
                            ObjectNode out = AdminJson.object();
                            ArrayNode list = out.putArray("calls");
                            views.stream().filter(v -> v.state().equals("answered"))
                                    .forEach(v -> list.add(AdminJson.call(v, now)));
                            if (!up.caughtUp()) {
                                out.put("partial", true); // the sweeper is still reading the journal
                            }
                            return Reply.ok(out);
                        })));
    }

    CompletionStage<Reply> call(String callId) {
        return handled(() -> describeCall(callId).thenApply(v -> v.state().equals("setup")
                ? Reply.error(404, "no call " + callId) : Reply.ok(AdminJson.call(v, clock.millis()))));
    }

    CompletionStage<Reply> hangUp(String callId) {
        return handled(() -> describeCall(callId).thenCompose(v -> {
            if (v.state().equals("setup")) {
                return CompletableFuture.completedFuture(Reply.error(404, "no call " + callId));
            }
            EntityRef<org.switchboard.session.api.CallCommand> call = sharding.entityRefFor(CallEntity.KEY, callId);
            return call.<StatusReply<Done>>ask(CallAdminCommand.HangUp::new, ASK).thenApply(r -> {
                if (r.isError()) {
                    return Reply.error(409, r.getError().getMessage());
                }
                log.info("call {} hung up by the operator", callId);
                return Reply.noContent();
            });
        }));
    }

    // ---------------------------------------------------------------- cluster

    CompletionStage<Reply> cluster() {
        return handled(() -> ClusterView.of(system, sharding, directory, blocking).thenApply(Reply::ok));
    }

    // ---------------------------------------------------------------- activity

    CompletionStage<Reply> activity() {
        return CompletableFuture.completedFuture(Reply.ok(AdminJson.activity(edge, activity.samples(),
                activity.pending())));
    }

    // ---------------------------------------------------------------- helpers

    private record Described(String aor, AccountView view) {
    }

    private CompletionStage<AccountView> describe(String aor) {
        return sharding.entityRefFor(RegistrationEntity.KEY, aor).ask(AccountCommand.Describe::new, ASK);
    }

    private CompletionStage<CallView> describeCall(String callId) {
        return sharding.entityRefFor(CallEntity.KEY, callId).ask(CallAdminCommand.Describe::new, ASK);
    }

    /** Every account of the journal, described by its entity. */
    private CompletionStage<List<Described>> allAccounts() {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return directory.aors();
            } catch (java.sql.SQLException e) {
                throw new CompletionException(e);
            }
        }, blocking).thenCompose(aors -> inBatches(aors, aor -> describe(aor).thenApply(v -> new Described(aor, v))));
    }

    /** Provisions one subscriber: created, updated or unchanged, and its enabled flag when given. */
    private CompletionStage<String> provision(SubscriberCsv.Entry e) {
        EntityRef<RegistrationCommand> entity = sharding.entityRefFor(RegistrationEntity.KEY, e.aor());
        return describe(e.aor()).thenCompose(before -> {
            String outcome = before.account().map(a -> a.username().equals(e.username()) && a.realm().equals(e.realm())
                    && a.ha1Md5().equals(e.ha1Md5()) && a.ha1Sha256().equals(e.ha1Sha256())
                    && e.enabled().map(en -> en == a.enabled()).orElse(true) ? "unchanged" : "updated")
                    .orElse("created");
            CompletionStage<Done> provisioned = entity.<Done>ask(reply -> new ProvisionAccount(e.username(), e.realm(),
                    e.ha1Md5(), e.ha1Sha256(), reply), ASK);
            return provisioned.thenCompose(done -> e.enabled()
                    .<CompletionStage<StatusReply<Done>>>map(en -> entity.ask(reply -> en ? new AccountCommand.Enable(reply)
                            : new AccountCommand.Disable(reply), ASK))
                    .orElseGet(() -> CompletableFuture.completedFuture(StatusReply.ack())))
                    .thenApply(done -> outcome);
        });
    }

    private CompletionStage<Reply> status(String aor,
                                          Function<ActorRef<StatusReply<Done>>, RegistrationCommand> command) {
        return sharding.entityRefFor(RegistrationEntity.KEY, aor).<StatusReply<Done>>ask(command::apply, ASK)
                .thenApply(r -> r.isSuccess() ? Reply.noContent() : Reply.error(404, r.getError().getMessage()));
    }

    private static Reply noSubscriber(String aor) {
        return Reply.error(404, "no subscriber " + Aors.shown(aor));
    }

    private static ObjectNode importLine(SubscriberCsv.Line line, String result, String error) {
        ObjectNode o = AdminJson.object().put("line", line.line()).put("aor", line.aor()).put("result", result);
        if (!error.isEmpty()) {
            o.put("error", error);
        }
        return o;
    }

    private static Reply importReport(List<ObjectNode> lines) {
        ObjectNode out = AdminJson.object();
        for (String result : List.of("created", "updated", "unchanged", "failed")) {
            out.put(result, lines.stream().filter(l -> l.path("result").asText().equals(result)).count());
        }
        ArrayNode list = out.putArray("lines");
        lines.forEach(list::add);
        return Reply.ok(out);
    }

    /** Applies {@code f} to every item, at most {@link #IN_FLIGHT} at once, results in the items' order. */
    private static <T, R> CompletionStage<List<R>> inBatches(List<T> items, Function<T, CompletionStage<R>> f) {
        CompletionStage<List<R>> done = CompletableFuture.completedFuture(new ArrayList<>(items.size()));
        for (int from = 0; from < items.size(); from += IN_FLIGHT) {
            List<T> batch = items.subList(from, Math.min(items.size(), from + IN_FLIGHT));
            done = done.thenCompose(acc -> {
                List<CompletableFuture<R>> running = batch.stream().map(t -> f.apply(t).toCompletableFuture()).toList();
                return CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).thenApply(all -> {
                    running.forEach(r -> acc.add(r.join()));
                    return acc;
                });
            });
        }
        return done;
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode json = JSON.readTree(body);
            if (json == null || !json.isObject()) {
                throw new IllegalArgumentException("the body is not a JSON object");
            }
            return json;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
        }
    }

    /** Bad input is 400, an entity that does not answer in time 503, anything else 500 (and logged). */
    private static CompletionStage<Reply> handled(Supplier<CompletionStage<Reply>> operation) {
        CompletionStage<Reply> started;
        try {
            started = operation.get();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(Reply.error(400, e.getMessage()));
        }
        return started.exceptionally(failure -> {
            Throwable cause = root(failure);
            if (cause instanceof IllegalArgumentException) {
                return Reply.error(400, cause.getMessage());
            }
            if (cause instanceof TimeoutException) {
                return Reply.error(503, "the cluster did not answer in time");
            }
            log.warn("admin request failed", cause);
            return Reply.error(500, cause.toString());
        });
    }

    private static Throwable root(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof java.util.concurrent.ExecutionException)
                && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    private static String rootMessage(Throwable t) {
        Throwable c = root(t);
        return c instanceof TimeoutException ? "the cluster did not answer in time" : String.valueOf(c.getMessage());
    }
}
