package migrate

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// warnedSpec is a keyspace whose Users column family has typed columns
// and UTF8 values by default.
func warnedSpec() *KeyspaceSpec {
	return &KeyspaceSpec{
		Name: "W", Strategy: "SimpleStrategy", StrategyOptions: StringOptions{"replication_factor": "1"},
		Tables: []TableSpec{{
			Name: "Users", Comparator: "UTF8Type", KeyValidation: "UTF8Type", DefaultValidation: "UTF8Type",
			Columns: []ColumnSpec{
				{Name: "age", Validator: "UTF8Type"},
				{Name: "name", Validator: "UTF8Type"},
				{Name: "born", Validator: "LongType"},
			},
		}},
	}
}

// stepWarnings maps "kind column" to the warning classes of each step.
func stepWarnings(p *Plan) map[string][]WarningClass {
	out := map[string][]WarningClass{}
	for _, s := range p.Steps {
		var cs []WarningClass
		for _, w := range s.Warnings {
			cs = append(cs, w.Class)
		}
		out[string(s.Kind)+" "+s.Column] = cs
	}
	return out
}

// A type change under which existing values may not validate (Cassandra
// does not rewrite or check them: AbstractType.isValueCompatibleWith) is
// planned with an unreadable-data warning; a compatible one is not.
func TestPlanWarnsUnreadableData(t *testing.T) {
	ctx, sys := setup(t, "")
	spec := warnedSpec()
	p, err := PlanSchema(ctx, sys, spec)
	must(t, err)
	if len(p.Warnings()) != 0 {
		t.Fatalf("a new keyspace holds no data, yet:\n%s", p)
	}
	must(t, p.Apply(ctx))

	users := &spec.Tables[0]
	users.Columns = []ColumnSpec{
		{Name: "age", Validator: "LongType"},   // UTF8 values may not be 8-byte longs
		{Name: "name", Validator: "BytesType"}, // every UTF8 value is valid bytes
		// "born" (LongType) dropped: its values fall back to UTF8Type, which 8-byte longs may not be
		{Name: "score", Validator: "Int32Type"}, // new metadata: values so far were UTF8Type
		{Name: "nick", Validator: "UTF8Type"},   // new metadata, same type as before
	}
	p, err = PlanSchema(ctx, sys, spec)
	must(t, err)
	got := stepWarnings(p)
	for step, want := range map[string]bool{
		"change-validator age":  true,
		"change-validator name": false,
		"drop-column born":      true,
		"add-column score":      true,
		"add-column nick":       false,
	} {
		classes, ok := got[step]
		switch {
		case !ok:
			t.Errorf("no step %q in\n%s", step, p)
		case want && (len(classes) != 1 || classes[0] != WarnUnreadableData):
			t.Errorf("%s: warnings %v, want [%s]", step, classes, WarnUnreadableData)
		case !want && len(classes) != 0:
			t.Errorf("%s: warnings %v, want none", step, classes)
		}
	}
	if n := len(p.Warnings()); n != 3 {
		t.Errorf("Warnings() = %d steps, want 3", n)
	}
	text := p.String()
	for _, want := range []string{"3 with warnings", "warning (unreadable-data): ", `"age"`, "UTF8Type", "LongType"} {
		if !strings.Contains(text, want) {
			t.Errorf("plan text lacks %q:\n%s", want, text)
		}
	}
	raw, err := json.Marshal(p)
	must(t, err)
	var decoded Plan
	must(t, json.Unmarshal(raw, &decoded))
	if n := len(decoded.Warnings()); n != 3 || !strings.Contains(string(raw), `"warnings":[{"class":"unreadable-data","message":`) {
		t.Errorf("JSON carries %d warned steps: %s", n, raw)
	}

	// The default validator of a column family, too.
	spec = warnedSpec()
	spec.Tables[0].DefaultValidation = "LongType"
	p, err = PlanSchema(ctx, sys, spec)
	must(t, err)
	if w := stepWarnings(p)["alter-column-family "]; len(w) != 1 || w[0] != WarnUnreadableData {
		t.Errorf("default_validation UTF8Type -> LongType: warnings %v\n%s", w, p)
	}
	spec.Tables[0].DefaultValidation = "BytesType"
	p, err = PlanSchema(ctx, sys, spec)
	must(t, err)
	if w := stepWarnings(p)["alter-column-family "]; len(w) != 0 {
		t.Errorf("default_validation UTF8Type -> BytesType: warnings %v", w)
	}
	// Warnings do not stop Apply.
	spec.Tables[0].DefaultValidation = "LongType"
	p, err = PlanSchema(ctx, sys, spec)
	must(t, err)
	applyAndRecheck(t, ctx, sys, spec, p)
}

// A comparator change Cassandra accepts (AbstractType.isCompatibleWith)
// but under which names sort differently is planned with a sort-order
// warning: DateType compares unsigned, TimestampType signed.
func TestPlanWarnsSortOrder(t *testing.T) {
	ctx, sys := setup(t, "")
	spec := &KeyspaceSpec{Name: "S", Tables: []TableSpec{
		{Name: "Events", Comparator: "DateType"},
		{Name: "Names", Comparator: "AsciiType"},
		{Name: "Pairs", Comparator: "CompositeType(DateType, UTF8Type)"},
	}}
	must(t, mustPlan(t, sys, spec).Apply(ctx))
	spec.Tables[0].Comparator = "TimestampType"
	spec.Tables[1].Comparator = "UTF8Type"
	spec.Tables[2].Comparator = "CompositeType(TimestampType, UTF8Type, LongType)"
	p := mustPlan(t, sys, spec)
	got := map[string][]WarningClass{}
	for _, s := range p.Steps {
		got[s.ColumnFamily] = nil
		for _, w := range s.Warnings {
			got[s.ColumnFamily] = append(got[s.ColumnFamily], w.Class)
		}
	}
	want := map[string][]WarningClass{"Events": {WarnSortOrder}, "Names": nil, "Pairs": {WarnSortOrder}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("warnings %v, want %v\n%s", got, want, p)
	}
	if !strings.Contains(p.String(), "warning (sort-order): column names of S.Events were sorted as DateType and sort differently as TimestampType") {
		t.Errorf("plan:\n%s", p)
	}
	must(t, p.Apply(ctx))
}

func mustPlan(t *testing.T, sys *SystemManager, spec *KeyspaceSpec) *Plan {
	t.Helper()
	p, err := PlanSchema(testCtx(t), sys, spec)
	must(t, err)
	return p
}
