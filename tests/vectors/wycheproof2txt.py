#!/usr/bin/python3
"""Convert Wycheproof JSON vectors (aead, mac, hkdf schemas) into a
line format the C tests read without a JSON parser.

Usage: wycheproof2txt.py IN.json OUT.txt

Output: '# <source file> <numberOfTests>' then one line per test,
space-separated, empty hex fields written as '-':
  aead: tcId result keyBits ivBits tagBits key iv aad msg ct tag
  mac:  tcId result keyBits tagBits key msg tag
  hkdf: tcId result ikm salt info size okm
result is v (valid), i (invalid) or a (acceptable)."""
import json
import sys


def h(x):
    return x if x else "-"


def main():
    src, dst = sys.argv[1], sys.argv[2]
    with open(src) as f:
        doc = json.load(f)
    schema = doc["schema"]
    lines = []
    count = 0
    for g in doc["testGroups"]:
        for t in g["tests"]:
            r = t["result"][0]
            count += 1
            if schema.startswith("aead_test_schema"):
                f = [t["tcId"], r, g["keySize"], g["ivSize"], g["tagSize"],
                     h(t["key"]), h(t["iv"]), h(t["aad"]), h(t["msg"]), h(t["ct"]), h(t["tag"])]
            elif schema.startswith("mac_test_schema"):
                f = [t["tcId"], r, g["keySize"], g["tagSize"], h(t["key"]), h(t["msg"]), h(t["tag"])]
            elif schema.startswith("hkdf_test_schema"):
                f = [t["tcId"], r, h(t["ikm"]), h(t["salt"]), h(t["info"]), t["size"], h(t["okm"])]
            else:
                sys.exit("unsupported schema " + schema)
            lines.append(" ".join(str(x) for x in f))
    if count != doc["numberOfTests"]:
        sys.exit("count mismatch")
    name = src.rsplit("/", 1)[-1]
    with open(dst, "w") as f:
        f.write("# %s %d\n" % (name, count))
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
