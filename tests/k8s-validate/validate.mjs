// Validates every Kubernetes object in the YAML files given against the OpenAPI schema that the npm package
// kubernetes-models (pinned in package.json) carries, with its validator (@kubernetes-models/validate, ajv).
// Usage: node validate.mjs FILE.yaml...
// Prints "valid <apiVersion> <kind> <name>" per object, or "INVALID ..." with the validator's messages;
// exits 1 when any object is invalid or of a kind it has no schema for, 2 on a usage error.
//
// Limits (said in docs/kubernetes.md): the schema has no additionalProperties:false, so an unknown field is not
// an error; Multus' NetworkAttachmentDefinition is a custom resource with no schema here, so only its metadata
// (ObjectMeta schema) and its spec.config (must parse as a CNI JSON object with a type) are checked.
import { readFileSync } from "node:fs";
import yaml from "js-yaml";
import { ObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node validate.mjs FILE.yaml...");
  process.exit(2);
}

const customKinds = {
  "k8s.cni.cncf.io/v1/NetworkAttachmentDefinition": (doc) => {
    new ObjectMeta(doc.metadata).validate();
    const config = JSON.parse(doc.spec?.config ?? "");
    if (typeof config !== "object" || typeof config.type !== "string") {
      throw new Error("spec.config must be a CNI configuration (JSON object with a type)");
    }
  },
};

async function modelFor(apiVersion, kind) {
  // Core objects are kubernetes-models/v1/Kind, others kubernetes-models/<group>/<version>/Kind.
  const path = `kubernetes-models/${apiVersion}/${kind}`;
  try {
    return (await import(path))[kind];
  } catch {
    return undefined;
  }
}

let invalid = 0;
let checked = 0;
for (const file of files) {
  for (const doc of yaml.loadAll(readFileSync(file, "utf8"))) {
    if (doc === null || doc === undefined) continue;
    checked++;
    const id = `${doc.apiVersion} ${doc.kind} ${doc.metadata?.name} (${file})`;
    try {
      const custom = customKinds[`${doc.apiVersion}/${doc.kind}`];
      if (custom) {
        custom(doc);
      } else {
        const Model = await modelFor(doc.apiVersion, doc.kind);
        if (!Model) throw new Error(`no schema for ${doc.apiVersion} ${doc.kind}`);
        new Model(doc).validate();
      }
      console.log(`valid ${id}`);
    } catch (e) {
      invalid++;
      const details = Array.isArray(e.errors) ? e.errors.map((x) => `  ${x.instancePath} ${x.message}`).join("\n") : "";
      console.log(`INVALID ${id}: ${e.message}${details ? "\n" + details : ""}`);
    }
  }
}
console.log(`${checked} objects checked, ${invalid} invalid`);
process.exit(invalid > 0 || checked === 0 ? 1 : 0);
