#!/usr/bin/env bash
# End to end: `icts vehicles check` on the shipped examples (one per filer
# role): per-item outcomes with their Subpart D rules and citations, the
# Declaration of Conformity and its due date, model-year and weight edges,
# exit codes, bad input with its location, and the input and output against
# docs/schema/vehicle-check*.schema.json.
source "$(dirname "$0")/lib.sh"
CHECK_SCHEMA="$(dirname "$0")/check_schema.py"
EX="$ROOT/examples/vehicles"
IN_SCHEMA="$ROOT/docs/schema/vehicle-check.schema.json"
OUT_SCHEMA="$ROOT/docs/schema/vehicle-check-result.schema.json"
export ICTS_RULES_DIR="$ROOT/rules"

schema_ok() {  # schema_ok WHAT SCHEMA FILE
  if python3 "$CHECK_SCHEMA" "$2" "$3" 2>"$WORK/schema.err"; then pass; else
    fail "$1 schema: $(cat "$WORK/schema.err")"; fi
}
for f in "$EX"/*.json; do
  case "$f" in *.cdx.json) continue ;; esac
  schema_ok "$(basename "$f")" "$IN_SCHEMA" "$f"
done

item() {  # item FILE ID FIELD
  json_get "$1" "[i['$3'] for i in j['items'] if i['item'] == '$2'][0]"
}

# A model year 2027 vehicle with Russian telematics software.
run_icts vehicles check "$EX/prairie-trailblazer-2027.json" -o json
expect_eq "maker: prohibited item gives exit 1" 1 "$RC"
echo "$OUT" >"$WORK/maker.json"
schema_ok "maker output" "$OUT_SCHEMA" "$WORK/maker.json"
expect_eq "maker: Russian covered software prohibited" "prohibited" "$(item "$WORK/maker.json" tcu-stack outcome)"
expect_eq "maker: by 791.303" "connected-vehicles/covered-software" "$(item "$WORK/maker.json" tcu-stack rule)"
expect_contains "maker: cites 791.303" "$(item "$WORK/maker.json" tcu-stack citation)" "791.303"
expect_eq "maker: German covered software clear" "clear" "$(item "$WORK/maker.json" infotainment outcome)"
expect_eq "maker: firmware is excluded" "clear" "$(item "$WORK/maker.json" modem-fw outcome)"
expect_eq "maker: unmodified open source is excluded" "clear" "$(item "$WORK/maker.json" zlib outcome)"
expect_eq "maker: declaration required" "True" "$(json_get "$WORK/maker.json" "j['declaration']['required']")"
expect_eq "maker: due 60 days before 2026-09-01" "2026-07-03" "$(json_get "$WORK/maker.json" "j['declaration']['due']")"
run_icts vehicles check "$EX/prairie-trailblazer-2027.json" -o json --fail-on never
expect_eq "maker: --fail-on never" 0 "$RC"

# The same vehicle as model year 2026 is exempt (791.308(b)); over 10,000 lb it is out.
python3 - "$EX/prairie-trailblazer-2027.json" "$WORK" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
for name, change in (("my2026", {"model_year": 2026}), ("heavy", {"gvwr_lb": 10001}),
                     ("noweight", {"gvwr_lb": None})):
    k = json.loads(json.dumps(j))
    k["vehicle"].update(change)
    if change.get("gvwr_lb", 0) is None:
        del k["vehicle"]["gvwr_lb"]
    json.dump(k, open(f"{sys.argv[2]}/{name}.json", "w"))
PY
run_icts vehicles check "$WORK/my2026.json" -o json
expect_eq "model year 2026: nothing prohibited" 0 "$RC"
echo "$OUT" >"$WORK/my2026.out.json"
expect_contains "model year 2026: exempt under 791.308" "$(item "$WORK/my2026.out.json" tcu-stack explanation)" "791.308"
run_icts vehicles check "$WORK/heavy.json" -o json
expect_eq "GVWR 10,001 lb: out of scope" 0 "$RC"
run_icts vehicles check "$WORK/noweight.json" -o json --fail-on needs-review
expect_eq "no GVWR: needs review, never clear" 1 "$RC"
echo "$OUT" >"$WORK/noweight.out.json"
expect_contains "no GVWR: named" "$(item "$WORK/noweight.out.json" tcu-stack unknowns)" "gross vehicle weight rating"

# An importer: warranty spares exempt, BOM items read with their classes.
run_icts vehicles check "$EX/acme-tcu-import.json" -o json
expect_eq "importer: exit 0 (nothing prohibited)" 0 "$RC"
echo "$OUT" >"$WORK/importer.json"
schema_ok "importer output" "$OUT_SCHEMA" "$WORK/importer.json"
expect_eq "importer: model year 2028 spare exempt" "clear" "$(item "$WORK/importer.json" spare-tcu outcome)"
expect_eq "importer: BOM module read" "vcs-hardware" "$(item "$WORK/importer.json" tcu-5g-2030 class)"
expect_eq "importer: unknown supplier country: needs review" "needs_review" "$(item "$WORK/importer.json" tcu-5g-2030 outcome)"
expect_eq "importer: passive harness clear" "clear" "$(item "$WORK/importer.json" harness outcome)"

# Covered software that names no supplier: the nexus is unknown, never clear.
printf '{"date": "2026-06-15", "filer": {"role": "connected-vehicle-manufacturer", "name": "X", "us_person": true, "ownership_known": true}, "vehicle": {"model_year": 2027, "gvwr_lb": 5000}, "items": [{"id": "s", "class": "covered-software", "name": "t"}]}' >"$WORK/nosupplier.json"
run_icts vehicles check "$WORK/nosupplier.json" -o json --fail-on needs-review
expect_eq "no supplier: needs review" 1 "$RC"
echo "$OUT" >"$WORK/nosupplier.out.json"
expect_contains "no supplier: named" "$(item "$WORK/nosupplier.out.json" s unknowns)" "supplier-side role"

# Authorizations: a specific authorization covering the Russian stack.
run_icts vehicles check "$EX/prairie-trailblazer-2027.json" -o json --authorizations "$EX/authorizations.yaml"
expect_eq "authorized: nothing prohibited" 0 "$RC"
echo "$OUT" >"$WORK/authorized.json"
schema_ok "authorized output" "$OUT_SCHEMA" "$WORK/authorized.json"
expect_eq "authorized: cited" "SA-2026-0042 specific" \
  "$(json_get "$WORK/authorized.json" "[i['authorization']['id'] + ' ' + i['authorization']['kind'] for i in j['items'] if i['item'] == 'tcu-stack'][0]")"
run_icts vehicles check "$EX/prairie-trailblazer-2027.json" -o json --authorizations "$EX/authorizations.yaml" --as-of 2028-01-01
expect_eq "authorization expired on 2027-12-31: prohibited again" 1 "$RC"

# The Declaration of Conformity: blocked while an item is prohibited, ready
# with the authorization; HTML, PDF (headless Chromium) and the store.
run_icts vehicles declaration "$EX/prairie-trailblazer-2027.json"
expect_eq "declaration blocked: exit 1" 1 "$RC"
echo "$OUT" >"$WORK/blocked.json"
expect_eq "declaration blocked: status" "blocked" "$(json_get "$WORK/blocked.json" "j['status']")"
run_icts vehicles declaration "$EX/prairie-trailblazer-2027.json" --authorizations "$EX/authorizations.yaml" \
  --contact "Dana Reyes, trade compliance" --html "$WORK/doc.html" --store "sqlite:$WORK/records.db"
expect_eq "declaration ready: exit 0" 0 "$RC"
echo "$OUT" >"$WORK/doc.json"
expect_eq "declaration ready: status" "ready" "$(json_get "$WORK/doc.json" "j['status']")"
expect_eq "declaration: due date" "2026-07-03" "$(json_get "$WORK/doc.json" "j['due']")"
expect_eq "declaration: kept 10 years" "2036-06-15" "$(json_get "$WORK/doc.json" "j['retain_until']")"
expect_contains "declaration: stored" "$ERR" "stored declaration"
run_icts audit verify --store "sqlite:$WORK/records.db"
expect_eq "declaration: audit chain intact" 0 "$RC"
if python3 - "$WORK/doc.html" <<'PY'
import sys
from html.parser import HTMLParser
text = open(sys.argv[1], encoding="utf-8").read()
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.stack = []; self.ok = True
    def handle_starttag(self, tag, attrs):
        if tag not in ("meta", "br"): self.stack.append(tag)
    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag: self.ok = False
p = P(); p.feed(text)
assert p.ok and not p.stack, "unbalanced tags"
for want in ("Prairie Motors LLC", "Dana Reyes", "SA-2026-0042", "2026-07-03", "791.312"):
    assert want in text, want
assert "<script" not in text
PY
then pass; else fail "declaration HTML: well-formed with filer, contact, authorization, due date"; fi
if command -v chromium >/dev/null && command -v pdftotext >/dev/null; then
  run_icts vehicles declaration "$EX/prairie-trailblazer-2027.json" --authorizations "$EX/authorizations.yaml" \
    --pdf "$WORK/doc.pdf"
  expect_eq "declaration PDF: exit 0" 0 "$RC"
  expect_eq "declaration PDF: a PDF" "%PDF" "$(head -c 4 "$WORK/doc.pdf" 2>/dev/null)"
  PDFTEXT=$(pdftotext "$WORK/doc.pdf" - 2>/dev/null)
  expect_contains "declaration PDF: the filer" "$PDFTEXT" "Prairie Motors LLC"
  expect_contains "declaration PDF: the title" "$PDFTEXT" "Declaration of Conformity"
  pdftoppm -png -r 50 -f 1 -l 1 "$WORK/doc.pdf" "$WORK/page" 2>/dev/null
  PNG=$(ls "$WORK"/page*.png 2>/dev/null | head -1)
  expect_eq "declaration PDF: page 1 renders to an image" "yes" \
    "$([ -n "$PNG" ] && [ "$(stat -c %s "$PNG")" -gt 2000 ] && echo yes || echo no)"
else
  echo "chromium or pdftotext not installed: PDF checks skipped (scripts/install-deps.sh installs them)"
fi

# Bad input: exit 2 with the location.
printf '{"date": "2026-06-15", "filer": {"role": "connected-vehicle-manufacturer", "name": "X"}, "vehicle": {"model_year": 2027, "gvwr_lb": 5000}, "items": [{"class": "toaster", "name": "t"}]}' >"$WORK/bad-class.json"
run_icts vehicles check "$WORK/bad-class.json"
expect_eq "unknown item class: exit 2" 2 "$RC"
expect_contains "unknown item class: pointer" "$ERR" "/items/0/class"
printf '{"date": "2026-06-15", "filer": {"role": "connected-vehicle-manufacturer", "name": "X"}, "items": [{"class": "covered-software", "name": "t"}]}' >"$WORK/no-vehicle.json"
run_icts vehicles check "$WORK/no-vehicle.json"
expect_eq "maker without a vehicle: exit 2" 2 "$RC"
expect_contains "maker without a vehicle: pointer" "$ERR" "/vehicle"
printf '{"date": "2026-06-15", "filer": {"role": "connected-vehicle-manufacturer", "name": "X"}, "vehicle": {"model_year": "MY27"}, "items": [{"class": "covered-software", "name": "t"}]}' >"$WORK/bad-year.json"
run_icts vehicles check "$WORK/bad-year.json"
expect_eq "bad model year: exit 2" 2 "$RC"
expect_contains "bad model year: pointer" "$ERR" "/vehicle/model_year"

finish
