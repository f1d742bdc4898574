package shell

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/migrate"
)

func propErr(p Prop, format string, args ...any) error {
	return &ParseError{Pos: p.Pos, Msg: fmt.Sprintf("property %s: %s", p.Name, fmt.Sprintf(format, args...))}
}

// scalar returns the text of a scalar property value.
func scalar(p Prop) (string, error) {
	if p.Value.Scalar == nil {
		return "", propErr(p, "wants a single value")
	}
	return p.Value.Scalar.Text, nil
}

// stringMap reads {k: v} or cassandra-cli's [{k: v}] as a map of strings.
func stringMap(p Prop) (map[string]string, error) {
	kvs := p.Value.Map
	switch {
	case len(p.Value.List) == 1:
		kvs = p.Value.List[0]
	case kvs == nil:
		return nil, propErr(p, "wants a map such as {replication_factor: 1}")
	}
	m := make(map[string]string, len(kvs))
	for _, kv := range kvs {
		m[kv.Key] = kv.Value.Text
	}
	return m, nil
}

func (s *Shell) createKeyspace(ctx context.Context, st CreateKeyspace) error {
	opts, err := keyspaceOptions(st.Props)
	if err != nil {
		return err
	}
	if err := s.sys.CreateKeyspace(ctx, st.Name, opts); err != nil {
		return err
	}
	s.refreshKeyspaces(ctx)
	fmt.Fprintf(s.out, "Keyspace %s created.\n", st.Name)
	return nil
}

func (s *Shell) updateKeyspace(ctx context.Context, st UpdateKeyspace) error {
	opts, err := keyspaceOptions(st.Props)
	if err != nil {
		return err
	}
	if err := s.sys.AlterKeyspace(ctx, st.Name, opts); err != nil {
		return err
	}
	fmt.Fprintf(s.out, "Keyspace %s updated.\n", st.Name)
	return nil
}

// keyspaceOptions reads the properties of create or update keyspace.
func keyspaceOptions(props []Prop) (migrate.KeyspaceDef, error) {
	var opts migrate.KeyspaceDef
	for _, p := range props {
		switch p.Name {
		case "strategy_class", "placement_strategy", "replication_strategy":
			v, err := scalar(p)
			if err != nil {
				return opts, err
			}
			opts.Strategy = v
		case "strategy_options", "replication":
			m, err := stringMap(p)
			if err != nil {
				return opts, err
			}
			opts.StrategyOptions = m
		case "durable_writes":
			v, err := scalar(p)
			if err != nil {
				return opts, err
			}
			b, err := strconv.ParseBool(v)
			if err != nil {
				return opts, propErr(p, "wants true or false")
			}
			opts.DurableWrites = &b
		default:
			return opts, propErr(p, "unknown (known: strategy_class, strategy_options, durable_writes)")
		}
	}
	return opts, nil
}

// cfProps lists the properties of create column family for help and
// errors.
const cfProps = "column_type, comparator, subcomparator, key_validation_class, default_validation_class, " +
	"comment, gc_grace, read_repair_chance, min_compaction_threshold, max_compaction_threshold, " +
	"default_time_to_live, caching, column_metadata"

func (s *Shell) createCF(ctx context.Context, st CreateCF) error {
	if s.keyspace == "" {
		return ErrNoKeyspace
	}
	opts, err := s.columnFamilyDef(st.Props, nil)
	if err != nil {
		return err
	}
	err = s.sys.CreateColumnFamily(ctx, s.keyspace, st.Name, opts)
	return s.cfChanged(ctx, err, "Column family %s created.\n", st.Name)
}

func (s *Shell) updateCF(ctx context.Context, st UpdateCF) error {
	info, err := s.cf(ctx, st.Name)
	if err != nil {
		return err
	}
	opts, err := s.columnFamilyDef(st.Props, info)
	if err != nil {
		return err
	}
	err = s.sys.AlterColumnFamily(ctx, s.keyspace, st.Name, opts)
	return s.cfChanged(ctx, err, "Column family %s updated.\n", st.Name)
}

// cfChanged follows a column-family change whose outcome is err: it
// reloads the cached schema whatever the outcome, so that packing and
// completion follow what the server now holds, then reports success with
// format.
func (s *Shell) cfChanged(ctx context.Context, err error, format string, args ...any) error {
	s.schema = nil
	_ = s.loadSchema(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(s.out, format, args...)
	return nil
}

// columnFamilyDef reads the properties of create or update column family.
// existing is the column family being updated (nil when creating): its
// comparator packs metadata column names unless the update sets one, and
// its column type cannot change.
func (s *Shell) columnFamilyDef(props []Prop, existing *cfInfo) (migrate.ColumnFamilyDef, error) {
	var opts migrate.ColumnFamilyDef
	var metadata *Prop
	for i, p := range props {
		if p.Name == "column_metadata" {
			metadata = &props[i]
			continue
		}
		v, err := scalar(p)
		if err != nil {
			return opts, err
		}
		switch p.Name {
		case "column_type":
			switch strings.ToLower(v) {
			case "super":
				opts.Super = true
			case "standard":
			default:
				return opts, propErr(p, "is Standard or Super, not %q", v)
			}
			if existing != nil && opts.Super != (existing.super != nil) {
				return opts, propErr(p, "cannot change: Cassandra does not convert between standard and super column families")
			}
		case "comparator", "comparator_type":
			opts.Comparator = v
		case "subcomparator", "subcomparator_type":
			opts.Subcomparator = v
		case "key_validation_class", "key_validator":
			opts.KeyValidation = v
		case "default_validation_class", "default_validator":
			opts.DefaultValidation = v
		case "comment":
			opts.Comment = &v
		case "caching":
			opts.Caching = &v
		case "gc_grace", "gc_grace_seconds", "min_compaction_threshold", "max_compaction_threshold", "default_time_to_live":
			n, err := strconv.ParseInt(v, 10, 32)
			if err != nil {
				return opts, propErr(p, "wants a whole number")
			}
			n32 := int32(n)
			switch p.Name {
			case "min_compaction_threshold":
				opts.MinCompactionThreshold = &n32
			case "max_compaction_threshold":
				opts.MaxCompactionThreshold = &n32
			case "default_time_to_live":
				opts.DefaultTimeToLive = &n32
			default:
				opts.GCGraceSeconds = &n32
			}
		case "read_repair_chance":
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return opts, propErr(p, "wants a number between 0 and 1")
			}
			opts.ReadRepairChance = &f
		default:
			return opts, propErr(p, "unknown (known: %s)", cfProps)
		}
	}
	if metadata != nil {
		cols, err := s.columnMetadata(*metadata, opts, existing)
		if err != nil {
			return opts, err
		}
		opts.Columns = cols
	}
	return opts, nil
}

// columnMetadata reads [{column_name: x, validation_class: T, index_type:
// KEYS, index_name: n}, ...]; names are packed with the comparator (the
// subcomparator of a super column family) being created.
func (s *Shell) columnMetadata(p Prop, opts migrate.ColumnFamilyDef, existing *cfInfo) ([]migrate.ColumnSpec, error) {
	if p.Value.List == nil && p.Value.Map == nil {
		return nil, propErr(p, "wants a list such as [{column_name: age, validation_class: LongType}]")
	}
	list := p.Value.List
	if p.Value.Map != nil {
		list = [][]KV{p.Value.Map}
	}
	nameClass, _ := opts.Comparator.(string)
	if opts.Super || (existing != nil && existing.super != nil) {
		nameClass, _ = opts.Subcomparator.(string)
	}
	nameType, err := codec.Parse(nameClass)
	if err != nil {
		return nil, propErr(p, "comparator: %v", err)
	}
	if existing != nil && nameClass == "" {
		nameType = existing.name
	}
	var cols []migrate.ColumnSpec
	for _, kvs := range list {
		var spec migrate.ColumnSpec
		haveName := false
		for _, kv := range kvs {
			switch strings.ToLower(kv.Key) {
			case "column_name", "name":
				b, err := Pack(kv.Value, nameType, s.cfg.Now())
				if err != nil {
					return nil, err
				}
				spec.Name, haveName = b, true
			case "validation_class", "validator":
				spec.Validator = kv.Value.Text
			case "index_type":
				switch strings.ToUpper(kv.Value.Text) {
				case "KEYS", "0":
					spec.Index, spec.IndexType = true, "KEYS"
				case "CUSTOM", "1":
					spec.Index, spec.IndexType = true, "CUSTOM"
				case "COMPOSITES", "2":
					spec.Index, spec.IndexType = true, "COMPOSITES"
				default:
					return nil, propErr(p, "index_type is KEYS, CUSTOM or COMPOSITES, not %q", kv.Value.Text)
				}
			case "index_name":
				spec.IndexName = kv.Value.Text
			default:
				return nil, propErr(p, "unknown column attribute %q (known: column_name, validation_class, index_type, index_name)", kv.Key)
			}
		}
		if !haveName {
			return nil, propErr(p, "every column needs a column_name")
		}
		cols = append(cols, spec)
	}
	return cols, nil
}

func (s *Shell) createIndex(ctx context.Context, st CreateIndex) error {
	info, err := s.cf(ctx, st.CF)
	if err != nil {
		return err
	}
	col, err := Pack(st.Column, info.name, s.cfg.Now())
	if err != nil {
		return err
	}
	var validator any
	if st.Validator != "" {
		validator = st.Validator
	}
	err = s.sys.CreateIndex(ctx, s.keyspace, st.CF, col, validator, migrate.IndexSpec{})
	return s.cfChanged(ctx, err, "Index on %s(%s) created.\n", st.CF, FormatValue(info.name, col))
}

func (s *Shell) dropIndex(ctx context.Context, st DropIndex) error {
	info, err := s.cf(ctx, st.CF)
	if err != nil {
		return err
	}
	col, err := Pack(st.Column, info.name, s.cfg.Now())
	if err != nil {
		return err
	}
	err = s.sys.DropIndex(ctx, s.keyspace, st.CF, col)
	return s.cfChanged(ctx, err, "Index on %s(%s) dropped.\n", st.CF, FormatValue(info.name, col))
}
