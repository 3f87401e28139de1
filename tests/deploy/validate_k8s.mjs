// validate_k8s.mjs DIR — validates every object of DIR/*.yaml (deploy/kubernetes/) against the
// Kubernetes API schemas and checks that the objects fit together. Exit status 0 = all valid.
//
// 1. Schema: each object through kubernetes-models (the Kubernetes OpenAPI schemas compiled to
//    validators): types, required fields, enums, quantities.
// 2. Unknown fields: those validators accept any extra property, but the API server (kubectl's
//    strict field validation) rejects one, so a misspelt "readinesProbe" would pass step 1 and fail
//    on a cluster. The field names of each type are read from kubernetes-models' type
//    declarations (.d.ts) and every key of every object is checked against them.
// 3. corpusd's own rules: selectors match the pod labels; volumes, claims and ports referred to
//    exist; the Deployment serves, read-only, the file the Job builds (same image, same claim); probes
//    are exec probes running the health check the image ships (the image has no curl); non-root,
//    read-only root file system, no privilege escalation, no capabilities; resources set; the
//    grace period covers preStop plus corpusd's --shutdown-timeout.
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const require = createRequire(import.meta.url);
const dir = process.argv[2];
if (!dir) {
  console.error("usage: node validate_k8s.mjs DIR");
  process.exit(2);
}
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "../..");
let failures = 0;
const fail = (where, msg) => {
  console.log(`FAIL - ${where}: ${msg}`);
  failures++;
};
const ok = (msg) => console.log(`ok   - ${msg}`);

// ---- field names of every type, from the .d.ts files ------------------------------------------
const modelsDir = dirname(require.resolve("kubernetes-models/package.json"));
const machineryDir = dirname(require.resolve("@kubernetes-models/apimachinery/package.json"));
const types = new Map(); // "IIoK8sApiCoreV1Probe" or "<file>#IProbe" -> Map(field -> type)
function readDeclarations(root) {
  for (const entry of readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".d.ts")) continue;
    const file = join(entry.parentPath ?? entry.path, entry.name);
    const text = readFileSync(file, "utf8");
    const local = new Map();
    for (const m of text.matchAll(/^export interface (\w+)(?: extends [\w, ]+)? \{\n([\s\S]*?)^\}/gm)) {
      const fields = new Map();
      for (const f of m[2].matchAll(/^ {4}"([^"]+)"\??: (.*)$/gm)) fields.set(f[1], f[2].replace(/;$/, ""));
      local.set(m[1], fields);
      types.set(`${file}#${m[1]}`, fields);
    }
    for (const m of text.matchAll(/^export \{([^}]*)\}/gm))
      for (const a of m[1].matchAll(/(\w+) as (\w+)/g)) if (local.has(a[1])) types.set(a[2], local.get(a[1]));
  }
}
readDeclarations(modelsDir);
readDeclarations(machineryDir);

function unknownFields(value, typeName, path, where) {
  const fields = types.get(typeName);
  if (!fields || value === null || typeof value !== "object" || Array.isArray(value)) return;
  for (const [key, v] of Object.entries(value)) {
    if (!fields.has(key)) {
      fail(where, `unknown field ${path}.${key} (not in ${typeName.replace(/^.*#/, "")})`);
      continue;
    }
    let t = fields.get(key);
    const arr = /^Array<(\w+)>$/.exec(t);
    if (arr) {
      t = arr[1];
      if (Array.isArray(v)) v.forEach((item, i) => unknownFields(item, t, `${path}.${key}[${i}]`, where));
    } else unknownFields(v, t, `${path}.${key}`, where);
  }
}

// ---- load the manifests ------------------------------------------------------------------------
const objects = [];
for (const name of readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort()) {
  const docs = parseAllDocuments(readFileSync(join(dir, name), "utf8"));
  docs.forEach((doc, i) => {
    if (doc.errors.length) return fail(name, `YAML: ${doc.errors[0].message}`);
    const obj = doc.toJS();
    if (obj) objects.push({ where: `${name}#${i + 1} ${obj.kind}/${obj.metadata?.name}`, obj });
  });
}
if (objects.length === 0) fail(dir, "no Kubernetes objects found");

for (const { where, obj } of objects) {
  const file = join(modelsDir, obj.apiVersion ?? "?", `${obj.kind}.js`);
  let Model;
  try {
    Model = require(file)[obj.kind];
  } catch {
    fail(where, `no schema for apiVersion ${obj.apiVersion} kind ${obj.kind}`);
    continue;
  }
  const before = failures;
  try {
    new Model(obj).validate();
  } catch (e) {
    fail(where, `schema: ${e.message}`);
  }
  const top = `${file.replace(/\.js$/, ".d.ts")}#I${obj.kind}`;
  if (!types.has(top)) fail(where, `no field list for ${obj.kind} in kubernetes-models' declarations`);
  unknownFields(obj, top, obj.kind, where);
  if (failures === before) ok(`${where}: valid ${obj.apiVersion} ${obj.kind}, no unknown field`);
}

// ---- corpusd's rules ---------------------------------------------------------------------------
const find = (kind) => objects.filter((o) => o.obj.kind === kind);
const one = (kind) => {
  const all = find(kind);
  if (all.length !== 1) fail(dir, `expected exactly one ${kind}, found ${all.length}`);
  return all[0];
};
const check = (where, cond, msg) => (cond ? ok(`${where}: ${msg}`) : fail(where, msg));
const selects = (selector, labels) =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);
const argValue = (args, flag) => {
  const i = (args ?? []).indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};
const dockerfile = readFileSync(join(repoRoot, "Dockerfile"), "utf8");
const claims = new Set(find("PersistentVolumeClaim").map((o) => o.obj.metadata.name));

function checkPod(where, spec, role) {
  const volumes = new Map((spec.volumes ?? []).map((v) => [v.name, v]));
  const sc = spec.securityContext ?? {};
  check(where, sc.runAsNonRoot === true && sc.runAsUser > 0, `pod runs as non-root (uid ${sc.runAsUser})`);
  for (const v of volumes.values())
    if (v.persistentVolumeClaim)
      check(where, claims.has(v.persistentVolumeClaim.claimName), `claim ${v.persistentVolumeClaim.claimName} is defined`);
  for (const c of spec.containers ?? []) {
    const csc = c.securityContext ?? {};
    check(where, csc.readOnlyRootFilesystem === true, `${c.name}: read-only root file system`);
    check(where, csc.allowPrivilegeEscalation === false, `${c.name}: no privilege escalation`);
    check(where, (csc.capabilities?.drop ?? []).includes("ALL"), `${c.name}: drops all capabilities`);
    const r = c.resources ?? {};
    check(where, r.requests?.cpu && r.requests?.memory && r.limits?.memory, `${c.name}: cpu/memory requests and a memory limit`);
    for (const m of c.volumeMounts ?? []) check(where, volumes.has(m.name), `${c.name}: mount ${m.name} has a volume`);
    check(where, (c.volumeMounts ?? []).some((m) => m.mountPath === "/tmp"), `${c.name}: writable /tmp (emptyDir) under the read-only root`);
    if (role !== "serve") continue;
    for (const [kind, path] of [["readinessProbe", "/readyz"], ["livenessProbe", "/healthz"]]) {
      const cmd = c[kind]?.exec?.command ?? [];
      check(where, cmd.length === 2 && cmd[1] === path, `${c.name}: ${kind} is an exec probe of ${path} (${cmd.join(" ")})`);
      check(where, cmd[0] && dockerfile.includes(` ${cmd[0]}\n`), `${c.name}: ${kind} runs ${cmd[0]}, which the Dockerfile installs`);
    }
  }
}

const job = one("Job");
const deploy = one("Deployment");
if (job && deploy) {
  const jspec = job.obj.spec.template.spec;
  const dspec = deploy.obj.spec.template.spec;
  checkPod(job.where, jspec, "build");
  checkPod(deploy.where, dspec, "serve");
  check(job.where, ["Never", "OnFailure"].includes(jspec.restartPolicy), `restartPolicy ${jspec.restartPolicy}`);
  const jc = jspec.containers[0];
  const dc = dspec.containers[0];
  check(deploy.where, jc.image && jc.image === dc.image, `the Job and the Deployment run the same image (${jc.image})`);
  const built = argValue(jc.args, "--build-db");
  const served = argValue(dc.args, "--db");
  check(job.where, built && argValue(jc.args, "--corpus"), `builds ${built} from --corpus ${argValue(jc.args, "--corpus")}`);
  check(deploy.where, served === built && (dc.args ?? []).includes("--read-only"), `serves --db ${served} --read-only, the file the Job builds`);
  const claimOf = (spec, c, file) => {
    const m = (c.volumeMounts ?? []).find((vm) => file?.startsWith(vm.mountPath.replace(/\/?$/, "/")));
    return [m, spec.volumes?.find((v) => v.name === m?.name)?.persistentVolumeClaim?.claimName];
  };
  const [jm, jclaim] = claimOf(jspec, jc, built);
  const [dm, dclaim] = claimOf(dspec, dc, served);
  check(deploy.where, jclaim && jclaim === dclaim, `the store is the same claim in the Job and the Deployment (${jclaim} / ${dclaim})`);
  check(deploy.where, dm?.readOnly === true && jm && !jm.readOnly, "the Job mounts the store read-write, the replicas read-only");
  const labels = deploy.obj.spec.template.metadata?.labels;
  check(deploy.where, selects(deploy.obj.spec.selector?.matchLabels, labels), "selector matches the pod labels");
  check(deploy.where, !selects(deploy.obj.spec.selector?.matchLabels, job.obj.spec.template.metadata?.labels), "selector does not match the Job's pods");
  check(deploy.where, (deploy.obj.spec.replicas ?? 1) >= 2, `replicas: ${deploy.obj.spec.replicas}`);
  const shutdown = Number(argValue(dc.args, "--shutdown-timeout") ?? 10);
  const preStop = Number(dc.lifecycle?.preStop?.exec?.command?.[0] === "sleep" ? dc.lifecycle.preStop.exec.command[1] : 0);
  const grace = dspec.terminationGracePeriodSeconds ?? 30;
  check(deploy.where, preStop + shutdown < grace, `preStop ${preStop} s + --shutdown-timeout ${shutdown} s < terminationGracePeriodSeconds ${grace}`);
  const portNames = new Set((dc.ports ?? []).map((p) => p.name));
  const svc = one("Service");
  if (svc) {
    check(svc.where, selects(svc.obj.spec.selector, labels), "selects the Deployment's pods");
    for (const p of svc.obj.spec.ports ?? [])
      check(svc.where, portNames.has(p.targetPort) || (dc.ports ?? []).some((cp) => cp.containerPort === p.targetPort), `targetPort ${p.targetPort} is a container port`);
  }
  const pdb = one("PodDisruptionBudget");
  if (pdb) {
    check(pdb.where, selects(pdb.obj.spec.selector?.matchLabels, labels), "selects the Deployment's pods");
    const min = pdb.obj.spec.minAvailable;
    check(pdb.where, typeof min === "number" && min >= 1 && min < deploy.obj.spec.replicas, `minAvailable ${min} leaves room to evict one of ${deploy.obj.spec.replicas}`);
  }
}

console.log(`${objects.length} objects, ${failures} failed`);
process.exit(failures ? 1 : 0);
