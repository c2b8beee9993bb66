// Drive the LRS with @xapi/xapi: send, fetch, query with paging, void, state, activity.
// Usage: node client_roundtrip.mjs ENDPOINT KEY SECRET; prints one JSON object of findings.
import XAPI from "@xapi/xapi";

const [endpoint, key, secret] = process.argv.slice(2);
const xapi = new XAPI({ endpoint, auth: XAPI.toBasicAuth(key, secret) });
const actor = { objectType: "Agent", name: "JS Learner", mbox: "mailto:js.learner@example.com" };
const activity = (name) => ({
  objectType: "Activity",
  id: `https://lms-cx.example.com/xapi/activities/js/${name}`,
  definition: { name: { "en-US": name } },
});

const about = (await xapi.getAbout()).data;
const single = (await xapi.sendStatement({
  statement: { actor, verb: XAPI.Verbs.INITIALIZED, object: activity("course") },
})).data;
const batch = (await xapi.sendStatements({
  statements: [1, 2, 3, 4, 5].map((n) => ({
    actor,
    verb: XAPI.Verbs.ANSWERED,
    object: activity(`q${n}`),
    result: { success: n % 2 === 0, score: { scaled: n / 5 } },
  })),
})).data;
const fetched = (await xapi.getStatement({ statementId: single[0] })).data;

const paged = [];
let page = (await xapi.getStatements({ agent: actor, verb: XAPI.Verbs.ANSWERED.id, limit: 2 })).data;
paged.push(...page.statements.map((s) => s.id));
while (page.more) {
  page = (await xapi.getMoreStatements({ more: page.more })).data;
  paged.push(...page.statements.map((s) => s.id));
}

await xapi.voidStatement({ actor, statementId: batch[0] });
const voided = (await xapi.getVoidedStatement({ voidedStatementId: batch[0] })).data;
const afterVoid = (await xapi.getStatements({ agent: actor, verb: XAPI.Verbs.ANSWERED.id })).data;

const state = { agent: actor, activityId: activity("course").id, stateId: "resume" };
await xapi.setState({ ...state, state: { page: 3 } });
const stored = (await xapi.getState(state)).data;
const canonical = (await xapi.getActivity({ activityId: activity("q1").id })).data;

console.log(JSON.stringify({
  about, single, batch, fetched, paged, voided: voided.id,
  afterVoid: afterVoid.statements.map((s) => s.id), stored, canonical,
}));
