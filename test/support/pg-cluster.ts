// the cluster helper lives in scripts/lib so that the compiled replica demo can use it too
export * from "../../scripts/lib/pg-cluster.js";
