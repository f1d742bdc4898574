package difftest

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The random statement generator: for a seed, a random table (a partition
// key of one or two columns, zero to two clustering columns with random
// order, regular columns of a few types, maybe a static column and a set)
// and a random mix of writes (INSERT, UPDATE, DELETE of rows, ranges,
// partitions and columns, lightweight transactions) and reads (every
// restriction kind the table allows, ORDER BY, LIMIT, PER PARTITION
// LIMIT, DISTINCT, count, filtering, paging), run on both servers and
// compared as the corpus's steps are. Values come from small domains so
// that writes collide and reads find rows. Writes carry explicit,
// increasing timestamps (USING TIMESTAMP), so that both servers order them
// alike; the timestamps are small, so a lightweight transaction (which
// writes at the server's clock) always wins over them on both.

// randColumn is a column of the random table.
type randColumn struct {
	name, typ string
}

// randTable is a random table and the generator's state.
type randTable struct {
	r                *rand.Rand
	name             string
	pk, ck, regulars []randColumn
	static           *randColumn
	set              *randColumn
	list, mp         *randColumn
	desc             []bool
	ts               int64
	// lwt is set once a lightweight transaction wrote, at the server's
	// clock: writetime() then differs between the servers.
	lwt bool
}

// randTypes are the regular columns' types.
var randTypes = []string{"int", "bigint", "text", "boolean", "double"}

func newRandTable(r *rand.Rand, name string) *randTable {
	t := &randTable{r: r, name: name}
	for i := range 1 + r.IntN(2) {
		t.pk = append(t.pk, randColumn{fmt.Sprintf("p%d", i), []string{"int", "text"}[r.IntN(2)]})
	}
	for i := range r.IntN(3) {
		t.ck = append(t.ck, randColumn{fmt.Sprintf("c%d", i), []string{"int", "text"}[r.IntN(2)]})
		t.desc = append(t.desc, r.IntN(3) == 0)
	}
	for i := range 1 + r.IntN(3) {
		t.regulars = append(t.regulars, randColumn{fmt.Sprintf("v%d", i), randTypes[r.IntN(len(randTypes))]})
	}
	if len(t.ck) > 0 && r.IntN(2) == 0 {
		t.static = &randColumn{"s", "int"}
	}
	if r.IntN(2) == 0 {
		t.set = &randColumn{"tags", "set<int>"}
	}
	if r.IntN(2) == 0 {
		t.list = &randColumn{"l", "list<int>"}
	}
	if r.IntN(2) == 0 {
		t.mp = &randColumn{"m", "map<text, int>"}
	}
	return t
}

// create is the CREATE TABLE statement.
func (t *randTable) create() string {
	var cols []string
	for _, c := range t.all() {
		d := c.name + " " + c.typ
		if t.static != nil && c.name == t.static.name {
			d += " static"
		}
		cols = append(cols, d)
	}
	pk := names(t.pk)
	if len(t.pk) > 1 {
		pk = "(" + pk + ")"
	}
	if len(t.ck) > 0 {
		pk += ", " + names(t.ck)
	}
	stmt := fmt.Sprintf("CREATE TABLE %s (%s, PRIMARY KEY (%s))", t.name, strings.Join(cols, ", "), pk)
	var order []string
	for i, c := range t.ck {
		dir := "ASC"
		if t.desc[i] {
			dir = "DESC"
		}
		order = append(order, c.name+" "+dir)
	}
	if len(order) > 0 {
		stmt += " WITH CLUSTERING ORDER BY (" + strings.Join(order, ", ") + ")"
	}
	return stmt
}

func (t *randTable) all() []randColumn {
	all := append(append(append([]randColumn{}, t.pk...), t.ck...), t.regulars...)
	if t.static != nil {
		all = append(all, *t.static)
	}
	for _, c := range []*randColumn{t.set, t.list, t.mp} {
		if c != nil {
			all = append(all, *c)
		}
	}
	return all
}

func names(cs []randColumn) string {
	n := make([]string, len(cs))
	for i, c := range cs {
		n[i] = c.name
	}
	return strings.Join(n, ", ")
}

// value is a random literal of type typ from a small domain.
func (t *randTable) value(typ string) string {
	r := t.r
	switch typ {
	case "int", "bigint":
		return strconv.Itoa(r.IntN(6))
	case "text":
		return "'" + string(rune('a'+r.IntN(5))) + "'"
	case "boolean":
		return []string{"true", "false"}[r.IntN(2)]
	case "double":
		return []string{"0.5", "1.0", "-2.25", "3.0"}[r.IntN(4)]
	case "set<int>", "list<int>":
		var e []string
		for range r.IntN(3) {
			e = append(e, strconv.Itoa(r.IntN(4)))
		}
		if typ == "list<int>" {
			return "[" + strings.Join(e, ", ") + "]"
		}
		return "{" + strings.Join(e, ", ") + "}"
	case "map<text, int>":
		// Distinct keys: which of two values for one key a literal keeps
		// is not defined (Maps.Literal keeps its entries in a HashMap).
		var e []string
		for _, k := range r.Perm(5)[:r.IntN(3)] {
			e = append(e, fmt.Sprintf("'%c': %d", 'a'+k, r.IntN(4)))
		}
		return "{" + strings.Join(e, ", ") + "}"
	}
	panic(typ)
}

func (t *randTable) eqs(cs []randColumn) []string {
	var w []string
	for _, c := range cs {
		w = append(w, c.name+" = "+t.value(c.typ))
	}
	return w
}

// timestamp is the next write's USING TIMESTAMP clause.
func (t *randTable) timestamp() string {
	t.ts++
	return fmt.Sprintf(" USING TIMESTAMP %d", t.ts)
}

// statement makes one random step.
func (t *randTable) statement() *step {
	r := t.r
	switch n := r.IntN(100); {
	case n < 8:
		q, args := t.insertBound()
		return &step{q: q, args: args}
	case n < 30:
		return &step{q: t.insert()}
	case n < 40:
		return &step{q: t.update()}
	case n < 50:
		return &step{q: t.delete()}
	case n < 55:
		return &step{q: t.conditional()}
	default:
		q := t.selectStmt()
		page := 0
		if r.IntN(2) == 0 && !strings.Contains(q, " GROUP BY ") {
			page = 1 + r.IntN(4)
		}
		return &step{q: q, page: page}
	}
}

// boundValue is a Go value of type typ for a bind marker, or nil when
// the type has none here.
func (t *randTable) boundValue(typ string) any {
	switch typ {
	case "int":
		return t.r.IntN(6)
	case "bigint":
		return int64(t.r.IntN(6))
	case "text":
		return string(rune('a' + t.r.IntN(5)))
	case "boolean":
		return t.r.IntN(2) == 0
	case "double":
		return []float64{0.5, 1, -2.25, 3}[t.r.IntN(4)]
	}
	return nil
}

// insertBound is an INSERT of the key and the regular columns with bind
// markers: gocql prepares it.
func (t *randTable) insertBound() (string, []any) {
	cols := append(append(append([]randColumn{}, t.pk...), t.ck...), t.regulars...)
	marks := make([]string, len(cols))
	args := make([]any, len(cols))
	for i, c := range cols {
		marks[i], args[i] = "?", t.boundValue(c.typ)
	}
	return fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)%s", t.name, names(cols), strings.Join(marks, ", "), t.timestamp()), args
}

func (t *randTable) insert() string {
	cols := append(append([]randColumn{}, t.pk...), t.ck...)
	for _, c := range t.all()[len(cols):] {
		if t.r.IntN(2) == 0 {
			cols = append(cols, c)
		}
	}
	vals := make([]string, len(cols))
	for i, c := range cols {
		vals[i] = t.value(c.typ)
	}
	return fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)%s", t.name, names(cols), strings.Join(vals, ", "), t.timestamp())
}

func (t *randTable) update() string {
	r := t.r
	if t.static != nil && r.IntN(4) == 0 {
		return fmt.Sprintf("UPDATE %s%s SET s = %s WHERE %s", t.name, t.timestamp(), t.value("int"),
			strings.Join(t.eqs(t.pk), " AND "))
	}
	var sets []string
	for _, c := range t.regulars {
		if len(sets) == 0 || r.IntN(2) == 0 {
			sets = append(sets, c.name+" = "+t.value(c.typ))
		}
	}
	if t.set != nil && r.IntN(2) == 0 {
		op := []string{"+", "-"}[r.IntN(2)]
		sets = append(sets, fmt.Sprintf("tags = tags %s %s", op, t.value("set<int>")))
	}
	if t.list != nil && r.IntN(2) == 0 {
		switch r.IntN(4) {
		case 0:
			sets = append(sets, "l = l + "+t.value("list<int>"))
		case 1:
			sets = append(sets, "l = "+t.value("list<int>")+" + l")
		case 2:
			sets = append(sets, "l = l - "+t.value("list<int>"))
		default:
			sets = append(sets, fmt.Sprintf("l[%d] = %d", r.IntN(3), r.IntN(4)))
		}
	}
	if t.mp != nil && r.IntN(2) == 0 {
		if r.IntN(2) == 0 {
			sets = append(sets, fmt.Sprintf("m[%s] = %d", t.value("text"), r.IntN(4)))
		} else {
			sets = append(sets, "m = m + "+t.value("map<text, int>"))
		}
	}
	where := t.eqs(t.pk)
	if r.IntN(4) == 0 && len(t.pk) == 1 {
		where = []string{fmt.Sprintf("%s IN (%s, %s)", t.pk[0].name, t.value(t.pk[0].typ), t.value(t.pk[0].typ))}
	}
	where = append(where, t.eqs(t.ck)...)
	return fmt.Sprintf("UPDATE %s%s SET %s WHERE %s", t.name, t.timestamp(), strings.Join(sets, ", "), strings.Join(where, " AND "))
}

func (t *randTable) delete() string {
	r := t.r
	where := t.eqs(t.pk)
	what := ""
	switch n := r.IntN(4); {
	case n == 0 || len(t.ck) == 0:
		// the partition, or the one row of a table without clustering
	case n == 1:
		where = append(where, t.eqs(t.ck)...)
	case n == 2:
		c := t.ck[0]
		where = append(where, fmt.Sprintf("%s %s %s", c.name, []string{">", ">=", "<", "<="}[r.IntN(4)], t.value(c.typ)))
	default:
		where = append(where, t.eqs(t.ck)...)
		what = t.regulars[r.IntN(len(t.regulars))].name + " "
		if t.mp != nil && r.IntN(2) == 0 {
			what = "m[" + t.value("text") + "] "
		}
	}
	return fmt.Sprintf("DELETE %sFROM %s%s WHERE %s", what, t.name, t.timestamp(), strings.Join(where, " AND "))
}

// conditional is a lightweight transaction on one row.
func (t *randTable) conditional() string {
	r := t.r
	t.lwt = true
	where := append(t.eqs(t.pk), t.eqs(t.ck)...)
	v := t.regulars[r.IntN(len(t.regulars))]
	switch r.IntN(3) {
	case 0:
		cols := append(append([]randColumn{}, t.pk...), t.ck...)
		vals := make([]string, 0, len(cols)+1)
		for _, c := range cols {
			vals = append(vals, t.value(c.typ))
		}
		return fmt.Sprintf("INSERT INTO %s (%s, %s) VALUES (%s, %s) IF NOT EXISTS", t.name, names(cols), v.name,
			strings.Join(vals, ", "), t.value(v.typ))
	case 1:
		return fmt.Sprintf("UPDATE %s SET %s = %s WHERE %s IF %s = %s", t.name, v.name, t.value(v.typ),
			strings.Join(where, " AND "), v.name, t.value(v.typ))
	default:
		return fmt.Sprintf("DELETE FROM %s WHERE %s IF EXISTS", t.name, strings.Join(where, " AND "))
	}
}

func (t *randTable) selectStmt() string {
	r := t.r
	sel := "*"
	switch r.IntN(8) {
	case 0:
		sel = "count(*)"
	case 3:
		if !t.lwt {
			v := t.regulars[r.IntN(len(t.regulars))]
			sel = names(t.pk) + ", writetime(" + v.name + ")"
		}
	case 4:
		sel = names(t.pk) + ", count(*)"
	case 1:
		sel = names(t.pk)
		if r.IntN(2) == 0 {
			sel = "DISTINCT " + sel
			if t.static != nil && r.IntN(2) == 0 {
				sel += ", s"
			}
		}
	case 2:
		cols := t.all()
		r.Shuffle(len(cols), func(i, j int) { cols[i], cols[j] = cols[j], cols[i] })
		sel = names(cols[:1+r.IntN(len(cols))])
	}
	distinct := strings.HasPrefix(sel, "DISTINCT")
	var where []string
	pkEq := false
	switch n := r.IntN(5); {
	case n == 0:
		// a scan of every partition
	case n == 1:
		where = append(where, fmt.Sprintf("token(%s) > %d", names(t.pk), r.Int64N(1<<62)-(1<<61)))
	case n == 2 && len(t.pk) == 1:
		var vs []string
		for range 1 + r.IntN(3) {
			vs = append(vs, t.value(t.pk[0].typ))
		}
		where = append(where, fmt.Sprintf("%s IN (%s)", t.pk[0].name, strings.Join(vs, ", ")))
	default:
		where = append(where, t.eqs(t.pk)...)
		pkEq = true
	}
	filtering := false
	if !distinct && len(where) > 0 && !strings.HasPrefix(where[0], "token") && len(t.ck) > 0 {
		switch r.IntN(4) {
		case 0:
			where = append(where, t.eqs(t.ck[:1])...)
		case 1:
			c := t.ck[0]
			where = append(where, fmt.Sprintf("%s %s %s", c.name, []string{">", ">=", "<", "<="}[r.IntN(4)], t.value(c.typ)))
		case 2:
			if len(t.ck) == 2 {
				where = append(where, fmt.Sprintf("(%s) %s (%s, %s)", names(t.ck), []string{">", "<="}[r.IntN(2)],
					t.value(t.ck[0].typ), t.value(t.ck[1].typ)))
			}
		case 3:
			// Not with a collection selected: 3.11 refuses that
			// (CASSANDRA-12654 lifted it in 4.0, see the corpus).
			if pkEq && !strings.Contains(sel, "count") && sel != "*" && !t.selectsCollection(sel) {
				last := t.ck[len(t.ck)-1]
				where = append(where, t.eqs(t.ck[:len(t.ck)-1])...)
				where = append(where, fmt.Sprintf("%s IN (%s, %s)", last.name, t.value(last.typ), t.value(last.typ)))
			}
		}
	}
	if !distinct && sel != "count(*)" && r.IntN(5) == 0 {
		v := t.regulars[r.IntN(len(t.regulars))]
		where = append(where, v.name+" = "+t.value(v.typ))
		filtering = true
	}
	stmt := "SELECT " + sel + " FROM " + t.name
	if len(where) > 0 {
		stmt += " WHERE " + strings.Join(where, " AND ")
	}
	if strings.HasSuffix(sel, ", count(*)") {
		stmt += " GROUP BY " + names(t.pk)
		if len(t.ck) > 0 && r.IntN(2) == 0 {
			stmt += ", " + t.ck[0].name
		}
	}
	if pkEq && len(t.ck) > 0 && !distinct && r.IntN(3) == 0 {
		dir := "DESC"
		if t.desc[0] {
			dir = "ASC"
		}
		stmt += " ORDER BY " + t.ck[0].name + " " + dir
	}
	if !distinct && sel != "count(*)" && len(t.ck) > 0 && r.IntN(5) == 0 {
		stmt += fmt.Sprintf(" PER PARTITION LIMIT %d", 1+r.IntN(3))
	}
	if r.IntN(3) == 0 {
		stmt += fmt.Sprintf(" LIMIT %d", 1+r.IntN(6))
	}
	if filtering || (len(where) > 0 && !pkEq && !strings.HasPrefix(where[0], "token") && !strings.Contains(where[0], " IN ")) {
		stmt += " ALLOW FILTERING"
	}
	return stmt
}

// selectsCollection reports whether the selection names a collection.
func (t *randTable) selectsCollection(sel string) bool {
	for _, c := range []*randColumn{t.set, t.list, t.mp} {
		if c != nil && strings.Contains(", "+sel+",", ", "+c.name+",") {
			return true
		}
	}
	return false
}

// TestRandomStatements compares the servers on random tables and random
// statements. DIFFTEST_SEED picks one seed (reproducing a failure) or a
// range of them ("7-40"), DIFFTEST_ROUNDS the statements per table.
func TestRandomStatements(t *testing.T) {
	p := newPair(t)
	seeds := []uint64{1, 2, 3, 4, 5, 6}
	if s := os.Getenv("DIFFTEST_SEED"); s != "" {
		from, to, isRange := strings.Cut(s, "-")
		a, err1 := strconv.ParseUint(from, 10, 64)
		b, err2 := a, error(nil)
		if isRange {
			b, err2 = strconv.ParseUint(to, 10, 64)
		}
		if err1 != nil || err2 != nil || b < a {
			t.Fatalf("DIFFTEST_SEED=%q: want a seed or a range of seeds (7-40)", s)
		}
		seeds = nil
		for n := a; n <= b; n++ {
			seeds = append(seeds, n)
		}
	}
	rounds := 250
	if s := os.Getenv("DIFFTEST_ROUNDS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("DIFFTEST_ROUNDS=%q: want a positive count", s)
		}
		rounds = n
	}
	start, statements := time.Now(), 0
	var st randStats
	for _, seed := range seeds {
		r := rand.New(rand.NewPCG(seed, 19))
		tb := newRandTable(r, fmt.Sprintf("rnd%d", seed))
		if !runRandom(t, p, &st, seed, -1, &step{q: tb.create()}) {
			continue
		}
		failures := 0
		for i := range rounds {
			statements++
			if !runRandom(t, p, &st, seed, i, tb.statement()) {
				if failures++; failures >= 5 {
					t.Errorf("seed %d: stopping after %d differences", seed, failures)
					break
				}
			}
		}
	}
	t.Logf("%d random statements over %d tables in %v: %d refused by both, %d rows read, %d pages, %d read failures of the reference node",
		statements, len(seeds), time.Since(start).Round(time.Millisecond), st.refused, st.rows, st.pages, st.refFailures)
}

// randStats counts what the random statements did.
type randStats struct{ refused, rows, pages, refFailures int }

// runRandom runs one statement on both servers and reports a difference
// with what reproduces it.
func runRandom(t *testing.T, p *pair, stats *randStats, seed uint64, i int, st *step) bool {
	t.Helper()
	emb, ref := p.emb.run(st), p.ref.run(st)
	if ref.code == 0x1300 && emb.ok() {
		// A read failure of the reference node is its own defect, never
		// an answer to compare (5.0.9 fails GROUP BY with LIMIT over a
		// partition with range tombstones: "has an open RT bound as its
		// last item").
		stats.refFailures++
		t.Logf("seed %d statement %d: the reference node failed the read, not compared: %s: %s", seed, i, st.label(), ref)
		return true
	}
	if !ref.ok() {
		stats.refused++
		if testing.Verbose() {
			t.Logf("seed %d statement %d: both refuse %s: %s", seed, i, st.q, ref)
		}
	}
	stats.rows += len(ref.raw)
	stats.pages += len(ref.pages)
	if d := compare(emb, ref); d != nil {
		t.Errorf("seed %d statement %d (DIFFTEST_SEED=%d): %s\n  differs in %s\n  embedded:  %s\n  reference: %s",
			seed, i, seed, st.label(), strings.Join(d, ", "), emb, ref)
		return false
	}
	return true
}
