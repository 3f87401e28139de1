#!/usr/bin/python3
"""kube_play.py — derives what `podman kube play` (podman 4.3.1) can play from the manifests in
deploy/kubernetes/, changing only what podman needs, and prints it (YAML) on stdout:

  kube_play.py pod-from-job JOB.yaml IMAGE
      the Job's pod template as a Pod (podman plays no Job): same name, labels and pod spec
      (restartPolicy Never), the image replaced by IMAGE.
  kube_play.py replica DEPLOYMENT.yaml IMAGE NAME HOSTPORT
      the Deployment as one replica named NAME (podman makes every replica of a play with the same
      hostPort, so the second fails): replicas 1, IMAGE, and the container port published on
      127.0.0.1:HOSTPORT (in a cluster the Service reaches the pods; here nginx does).

The test (tests/deploy/test_container.sh) plays the output; every other field is as committed.
"""
import sys

import yaml


def load(path, kind):
    with open(path, encoding="utf-8") as f:
        docs = [d for d in yaml.safe_load_all(f) if d and d.get("kind") == kind]
    if len(docs) != 1:
        sys.exit(f"kube_play.py: expected one {kind} in {path}, found {len(docs)}")
    return docs[0]


def set_image(spec, image):
    for c in spec["containers"]:
        c["image"] = image


def main(argv):
    if len(argv) == 4 and argv[1] == "pod-from-job":
        job = load(argv[2], "Job")
        template = job["spec"]["template"]
        pod = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": job["metadata"]["name"],
                         "labels": template.get("metadata", {}).get("labels", {})},
            "spec": template["spec"],
        }
        set_image(pod["spec"], argv[3])
        out = pod
    elif len(argv) == 6 and argv[1] == "replica":
        dep = load(argv[2], "Deployment")
        dep["metadata"]["name"] = argv[4]
        dep["spec"]["replicas"] = 1
        spec = dep["spec"]["template"]["spec"]
        set_image(spec, argv[3])
        port = spec["containers"][0]["ports"][0]
        port["hostIP"] = "127.0.0.1"
        port["hostPort"] = int(argv[5])
        out = dep
    else:
        sys.exit(__doc__)
    yaml.safe_dump(out, sys.stdout, sort_keys=False)


if __name__ == "__main__":
    main(sys.argv)
