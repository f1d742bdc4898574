package shell

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/migrate"
	"github.com/cassa-go/cassa/query"
	"github.com/cassa-go/cassa/thrift/columnfamily"
	"github.com/cassa-go/cassa/thrift/pool"
)

// Default limits of list and get, as cassandra-cli's.
const (
	DefaultRowLimit    = 100
	DefaultColumnLimit = 100
)

// Run executes one parsed statement.
func (s *Shell) Run(ctx context.Context, st Statement) error {
	switch st := st.(type) {
	case Help:
		return s.help(st.Topic)
	case Quit:
		return ErrQuit
	case Connect:
		return s.runConnect(ctx, st)
	}
	if s.sys == nil {
		return ErrNotConnected
	}
	switch st := st.(type) {
	case Use:
		if err := s.use(ctx, st.Keyspace); err != nil {
			return err
		}
		fmt.Fprintf(s.out, "Authenticated to keyspace: %s\n", st.Keyspace)
		return nil
	case DescribeKeyspace:
		return s.describeKeyspace(ctx, st.Keyspace)
	case DescribeCF:
		return s.describeCF(ctx, st.CF)
	case Describe:
		return s.describe(ctx, st.Name)
	case ShowKeyspaces:
		names, err := s.sys.ListKeyspaces(ctx)
		if err != nil {
			return err
		}
		sort.Strings(names)
		s.ksNames = names // completion follows what was shown
		for _, n := range names {
			fmt.Fprintln(s.out, n)
		}
		return nil
	case ShowColumnFamilies:
		if s.keyspace == "" {
			return ErrNoKeyspace
		}
		if err := s.loadSchema(ctx); err != nil {
			return err
		}
		for _, n := range s.CFNames() {
			fmt.Fprintln(s.out, n)
		}
		return nil
	case ShowClusterName:
		return s.println(s.sys.DescribeClusterName(ctx))
	case ShowAPIVersion:
		return s.println(s.sys.DescribeVersion(ctx))
	case List:
		return s.list(ctx, st)
	case Get:
		return s.get(ctx, st)
	case GetWhere:
		return s.getWhere(ctx, st)
	case Set:
		return s.set(ctx, st)
	case Del:
		return s.del(ctx, st)
	case Count:
		return s.count(ctx, st)
	case Incr:
		return s.incr(ctx, st)
	case CreateKeyspace:
		return s.createKeyspace(ctx, st)
	case DropKeyspace:
		if err := s.sys.DropKeyspace(ctx, st.Name); err != nil {
			return err
		}
		if st.Name == s.keyspace {
			if s.data != nil {
				_ = s.data.Close(ctx)
			}
			s.data, s.keyspace, s.schema = nil, "", nil
		}
		s.refreshKeyspaces(ctx)
		fmt.Fprintf(s.out, "Keyspace %s dropped.\n", st.Name)
		return nil
	case CreateCF:
		return s.createCF(ctx, st)
	case UpdateKeyspace:
		return s.updateKeyspace(ctx, st)
	case UpdateCF:
		return s.updateCF(ctx, st)
	case DropCF:
		if s.keyspace == "" {
			return ErrNoKeyspace
		}
		err := s.sys.DropColumnFamily(ctx, s.keyspace, st.Name)
		return s.cfChanged(ctx, err, "Column family %s dropped.\n", st.Name)
	case CreateIndex:
		return s.createIndex(ctx, st)
	case DropIndex:
		return s.dropIndex(ctx, st)
	case Assume:
		return s.assume(ctx, st)
	case Consistency:
		level, ok := consistencyLevel(st.Level)
		if !ok {
			return &ParseError{Pos: st.Pos, Msg: fmt.Sprintf("unknown consistency level %q (known: %s)", st.Level, consistencyNames())}
		}
		s.cl = level
		for _, info := range s.schema {
			info.handle = nil // reopened with the new level
		}
		fmt.Fprintf(s.out, "Consistency level is set to '%s'.\n", st.Level)
		return nil
	case Truncate:
		info, err := s.cf(ctx, st.CF)
		if err != nil {
			return err
		}
		h, err := s.handle(ctx, info)
		if err != nil {
			return err
		}
		if err := h.Truncate(ctx); err != nil {
			return err
		}
		fmt.Fprintf(s.out, "%s truncated.\n", st.CF)
		return nil
	}
	return fmt.Errorf("unsupported statement %T", st)
}

// println prints v on a line of its own, or returns err.
func (s *Shell) println(v string, err error) error {
	if err != nil {
		return err
	}
	fmt.Fprintln(s.out, v)
	return nil
}

// consistencyLevel reads the level of `consistencylevel as`: Cassandra's
// levels but SERIAL and LOCAL_SERIAL, which Thrift takes only for cas.
func consistencyLevel(name string) (cassa.Consistency, bool) {
	level, err := cassa.ParseConsistency(name)
	return level, err == nil && level != cassa.Serial && level != cassa.LocalSerial
}

func consistencyNames() string {
	var names []string
	for c := cassa.Any; c <= cassa.LocalOne; c++ {
		if _, ok := consistencyLevel(c.String()); ok {
			names = append(names, c.String())
		}
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func (s *Shell) assume(ctx context.Context, st Assume) error {
	info, err := s.cf(ctx, st.CF)
	if err != nil {
		return err
	}
	t, ok := functions[strings.ToLower(st.Type)]
	if !ok {
		if t, err = codec.Parse(st.Type); err != nil {
			return &ParseError{Pos: st.TypePos, Msg: fmt.Sprintf("unknown type %q: use a class name such as LongType or one of %s", st.Type, functionNames())}
		}
	}
	if st.What == "sub_comparator" && info.super == nil {
		return &ParseError{Pos: st.WhatPos, Msg: st.CF + " is not a super column family: it has no sub_comparator"}
	}
	if s.assumed == nil {
		s.assumed = map[string]*assumption{}
	}
	a := s.assumed[st.CF]
	if a == nil {
		a = &assumption{}
		s.assumed[st.CF] = a
	}
	switch st.What {
	case "keys":
		a.key = t
	case "comparator":
		a.comparator = t
	case "sub_comparator":
		a.subcomparator = t
	case "validator":
		a.validator = t
	}
	a.apply(info)
	fmt.Fprintf(s.out, "Assumption for column family '%s' added successfully.\n", st.CF)
	return nil
}

func (s *Shell) runConnect(ctx context.Context, st Connect) error {
	addr := st.Addr
	if i := strings.LastIndexByte(addr, '/'); i > 0 && !strings.Contains(addr, ":") {
		addr = addr[:i] + ":" + addr[i+1:] // cassandra-cli's host/port
	}
	if !strings.Contains(addr, ":") {
		addr += ":" + strconv.Itoa(pool.DefaultPort)
	}
	if err := s.connect(ctx, []string{addr}, ""); err != nil {
		return err
	}
	fmt.Fprintf(s.out, "Connected to: %s\n", addr)
	return nil
}

func (s *Shell) describeKeyspace(ctx context.Context, name string) error {
	if name == "" {
		name = s.keyspace
	}
	if name == "" {
		return ErrNoKeyspace
	}
	ks, err := s.sys.DescribeKeyspace(ctx, name)
	if err != nil {
		return err
	}
	PrintKeyspace(s.out, ks)
	return nil
}

func (s *Shell) describeCF(ctx context.Context, name string) error {
	if s.keyspace == "" {
		return ErrNoKeyspace
	}
	if err := s.loadSchema(ctx); err != nil {
		return err
	}
	info, ok := s.schema[name]
	if !ok {
		return &cassa.UnknownTableError{Keyspace: s.keyspace, Table: name}
	}
	PrintColumnFamily(s.out, info.def)
	return nil
}

// describe NAME: a column family of the current keyspace first, then a
// keyspace, as cassandra-cli does.
func (s *Shell) describe(ctx context.Context, name string) error {
	if s.keyspace != "" {
		if err := s.loadSchema(ctx); err != nil {
			return err
		}
		if info, ok := s.schema[name]; ok {
			PrintColumnFamily(s.out, info.def)
			return nil
		}
	}
	ks, err := s.sys.DescribeKeyspace(ctx, name)
	if errors.Is(err, migrate.ErrKeyspaceNotFound) {
		return fmt.Errorf("no column family or keyspace named %q", name)
	}
	if err != nil {
		return err
	}
	PrintKeyspace(s.out, ks)
	return nil
}

// target is a reference resolved against its column family: the packed
// key, super column and column name, as far as the path goes.
type target struct {
	info  *cfInfo
	h     *columnfamily.ColumnFamily
	key   []byte
	super []byte // nil unless the path names a super column
	col   []byte // nil unless the path names a column
}

// resolve packs the path of ref. In a super column family the second
// subscript is the super column; in a standard one it is the column, and a
// third is refused.
func (s *Shell) resolve(ctx context.Context, ref Ref) (*target, error) {
	info, err := s.cf(ctx, ref.CF)
	if err != nil {
		return nil, err
	}
	now := s.cfg.Now()
	t := &target{info: info}
	if t.key, err = Pack(ref.Path[0], info.key, now); err != nil {
		return nil, err
	}
	if len(t.key) == 0 {
		return nil, &ValueError{Lit: ref.Path[0], Type: codec.ShortName(info.key), Err: errors.New("row keys may not be empty")}
	}
	switch {
	case info.super == nil && len(ref.Path) > 2:
		return nil, &ParseError{Pos: ref.Path[2].Pos, Msg: fmt.Sprintf("%s is a standard column family: write %s['key']['column']", ref.CF, ref.CF)}
	case info.super == nil && len(ref.Path) == 2:
		if t.col, err = Pack(ref.Path[1], info.name, now); err != nil {
			return nil, err
		}
	case info.super != nil && len(ref.Path) >= 2:
		if t.super, err = Pack(ref.Path[1], info.super, now); err != nil {
			return nil, err
		}
		if len(ref.Path) == 3 {
			if t.col, err = Pack(ref.Path[2], info.name, now); err != nil {
				return nil, err
			}
		}
	}
	if t.h, err = s.handle(ctx, info); err != nil {
		return nil, err
	}
	return t, nil
}

// printColumn writes one column as cassandra-cli does.
func (s *Shell) printColumn(info *cfInfo, c columnfamily.Column) {
	fmt.Fprintln(s.out, s.columnText(info, c))
}

// columnText renders a column through the column family's types:
// => (name=age, value=24, timestamp=..., ttl=...) or, for a counter,
// => (counter=hits, value=3).
func (s *Shell) columnText(info *cfInfo, c columnfamily.Column) string {
	name, _ := c.Name.([]byte)
	nameText := FormatValue(info.name, name)
	if info.counter {
		return CounterLine(nameText, formatGo(c.Value))
	}
	val := formatGo(c.Value)
	if b, ok := c.Value.([]byte); ok {
		val = FormatValue(info.valueType(name), b)
	}
	return ColumnLine(nameText, val, c.Timestamp, c.TTL)
}

func (s *Shell) printSuper(info *cfInfo, sc columnfamily.SuperColumn) {
	name, _ := sc.Name.([]byte)
	fmt.Fprintf(s.out, "=> (super_column=%s,", FormatValue(info.super, name))
	for _, c := range sc.Columns {
		fmt.Fprintf(s.out, "\n     %s", strings.TrimPrefix(s.columnText(info, c), "=> "))
	}
	fmt.Fprintln(s.out, ")")
}

func (s *Shell) printRow(info *cfInfo, row columnfamily.Row) int {
	key, _ := row.Key.([]byte)
	fmt.Fprintln(s.out, "-------------------")
	fmt.Fprintf(s.out, "RowKey: %s\n", FormatValue(info.key, key))
	for _, sc := range row.SuperColumns {
		s.printSuper(info, sc)
	}
	for _, c := range row.Columns {
		s.printColumn(info, c)
	}
	return row.Len()
}

func limitOr(n, def int) int {
	if n <= 0 {
		return def
	}
	return n
}

func (s *Shell) get(ctx context.Context, st Get) error {
	t, err := s.resolve(ctx, st.Ref)
	if err != nil {
		return err
	}
	first := query.Select{}.PerPartitionLimit(limitOr(st.Limit, DefaultColumnLimit))
	switch {
	case t.col != nil: // one column (of a super column)
		var opts []columnfamily.ReadOption
		if t.super != nil {
			opts = append(opts, columnfamily.Super(t.super))
		}
		row, err := t.h.Get(ctx, t.key, query.Columns(t.col), opts...)
		if errors.Is(err, cassa.ErrNotFound) || (err == nil && len(row.Columns) == 0) {
			fmt.Fprintln(s.out, "Value was not found")
			return nil
		}
		if err != nil {
			return err
		}
		s.printColumn(t.info, row.Columns[0])
		return nil
	case t.super != nil: // a super column's sub-columns
		row, err := t.h.Get(ctx, t.key, first, columnfamily.Super(t.super))
		if errors.Is(err, cassa.ErrNotFound) {
			fmt.Fprintln(s.out, "Returned 0 results.")
			return nil
		}
		if err != nil {
			return err
		}
		for _, c := range row.Columns {
			s.printColumn(t.info, c)
		}
		fmt.Fprintf(s.out, "Returned %d results.\n", len(row.Columns))
		return nil
	}
	row, err := t.h.Get(ctx, t.key, first)
	if errors.Is(err, cassa.ErrNotFound) {
		fmt.Fprintln(s.out, "Returned 0 results.")
		return nil
	}
	if err != nil {
		return err
	}
	for _, sc := range row.SuperColumns {
		s.printSuper(t.info, sc)
	}
	for _, c := range row.Columns {
		s.printColumn(t.info, c)
	}
	fmt.Fprintf(s.out, "Returned %d results.\n", row.Len())
	return nil
}

func (s *Shell) list(ctx context.Context, st List) error {
	info, err := s.cf(ctx, st.CF)
	if err != nil {
		return err
	}
	h, err := s.handle(ctx, info)
	if err != nil {
		return err
	}
	limit := limitOr(st.Limit, DefaultRowLimit)
	n := 0
	q := query.Select{}.Limit(limit).PerPartitionLimit(limitOr(st.Columns, DefaultColumnLimit))
	for row, err := range h.GetRange(ctx, q, columnfamily.BufferSize(min(limit, columnfamily.DefaultBufferSize))) {
		if err != nil {
			return err
		}
		s.printRow(info, row)
		n++
	}
	fmt.Fprintf(s.out, "\n%d Row%s Returned.\n", n, plural(n))
	return nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// indexOps are the operators of `get ... where`, as cassandra-cli writes
// them.
var indexOps = map[string]query.Op{
	"=": query.OpEq, ">=": query.OpGte, ">": query.OpGt, "<=": query.OpLte, "<": query.OpLt,
}

func (s *Shell) getWhere(ctx context.Context, st GetWhere) error {
	info, err := s.cf(ctx, st.CF)
	if err != nil {
		return err
	}
	h, err := s.handle(ctx, info)
	if err != nil {
		return err
	}
	now := s.cfg.Now()
	q := query.Select{}.Limit(limitOr(st.Limit, DefaultRowLimit))
	for _, e := range st.Exprs {
		col, err := Pack(e.Column, info.name, now)
		if err != nil {
			return err
		}
		val, err := Pack(e.Value, info.valueType(col), now)
		if err != nil {
			return err
		}
		q = q.And(col).Op(indexOps[e.Op], val)
	}
	n := 0
	for row, err := range h.GetIndexedSlices(ctx, q) {
		if err != nil {
			return err
		}
		s.printRow(info, row)
		n++
	}
	fmt.Fprintf(s.out, "\n%d Row%s Returned.\n", n, plural(n))
	return nil
}

func (s *Shell) set(ctx context.Context, st Set) error {
	t, err := s.resolve(ctx, st.Ref)
	if err != nil {
		return err
	}
	if t.col == nil {
		return &ParseError{Pos: st.Ref.CFPos, Msg: fmt.Sprintf("%s is a super column family: write %s['key']['super']['column'] = value", st.Ref.CF, st.Ref.CF)}
	}
	if t.info.counter {
		return fmt.Errorf("%s is a counter column family: use incr or decr", st.Ref.CF)
	}
	val, err := Pack(st.Value, t.info.valueType(t.col), s.cfg.Now())
	if err != nil {
		return err
	}
	var opts []columnfamily.WriteOption
	if st.TTL > 0 {
		opts = append(opts, columnfamily.TTL(time.Duration(st.TTL)*time.Second))
	}
	col := columnfamily.Column{Name: t.col, Value: val}
	var vals columnfamily.Values = columnfamily.ColumnList{col}
	if t.super != nil {
		vals = columnfamily.SuperColumnList{{Name: t.super, Columns: []columnfamily.Column{col}}}
	}
	if _, err := t.h.Insert(ctx, t.key, vals, opts...); err != nil {
		return err
	}
	fmt.Fprintln(s.out, "Value inserted.")
	return nil
}

func (s *Shell) del(ctx context.Context, st Del) error {
	t, err := s.resolve(ctx, st.Ref)
	if err != nil {
		return err
	}
	switch {
	case t.col != nil && t.info.counter:
		var opts []columnfamily.WriteOption
		if t.super != nil {
			opts = append(opts, columnfamily.Super(t.super))
		}
		err = t.h.RemoveCounter(ctx, t.key, t.col, opts...)
	case t.col != nil && t.super != nil:
		_, err = t.h.Remove(ctx, t.key, query.Columns(t.col), columnfamily.Super(t.super))
	case t.col != nil:
		_, err = t.h.Remove(ctx, t.key, query.Columns(t.col))
	case t.super != nil:
		_, err = t.h.Remove(ctx, t.key, query.Select{}, columnfamily.Super(t.super))
	default:
		_, err = t.h.Remove(ctx, t.key, query.Select{})
	}
	if err != nil {
		return err
	}
	switch {
	case t.col != nil:
		fmt.Fprintln(s.out, "column removed.")
	case t.super != nil:
		fmt.Fprintln(s.out, "super column removed.")
	default:
		fmt.Fprintln(s.out, "row removed.")
	}
	return nil
}

func (s *Shell) count(ctx context.Context, st Count) error {
	t, err := s.resolve(ctx, st.Ref)
	if err != nil {
		return err
	}
	if t.col != nil {
		return &ParseError{Pos: st.Ref.Path[1].Pos, Msg: "count takes a row (or a super column): write count " + st.Ref.CF + "['key']"}
	}
	var opts []columnfamily.ReadOption
	if t.super != nil {
		opts = append(opts, columnfamily.Super(t.super))
	}
	n, err := t.h.GetCount(ctx, t.key, query.Select{}, opts...)
	if err != nil {
		return err
	}
	fmt.Fprintf(s.out, "%d column%s\n", n, plural(n))
	return nil
}

func (s *Shell) incr(ctx context.Context, st Incr) error {
	t, err := s.resolve(ctx, st.Ref)
	if err != nil {
		return err
	}
	if t.col == nil {
		return &ParseError{Pos: st.Ref.CFPos, Msg: "incr and decr need a column: write incr " + st.Ref.CF + "['key']['super']['column']"}
	}
	if !t.info.counter {
		return fmt.Errorf("%s is not a counter column family (its default_validation_class is %s)", st.Ref.CF, codec.ShortName(t.info.value))
	}
	var opts []columnfamily.WriteOption
	if t.super != nil {
		opts = append(opts, columnfamily.Super(t.super))
	}
	if err := t.h.Add(ctx, t.key, t.col, st.By, opts...); err != nil {
		return err
	}
	if st.By < 0 {
		fmt.Fprintln(s.out, "Value decremented.")
	} else {
		fmt.Fprintln(s.out, "Value incremented.")
	}
	return nil
}
