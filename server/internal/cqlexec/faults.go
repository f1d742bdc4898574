package cqlexec

import (
	"context"
	"fmt"

	"github.com/datastax/go-cassandra-native-protocol/message"
	"github.com/datastax/go-cassandra-native-protocol/primitive"

	"github.com/cassa-go/cassa/server/internal/cqlparse"
	"github.com/cassa-go/cassa/server/internal/faults"
	"github.com/cassa-go/cassa/server/internal/native"
	"github.com/cassa-go/cassa/server/internal/validate"
	"github.com/cassa-go/cassa/thriftgen"
)

// Fault injection: before a statement runs, and before it takes the
// node's read lock (a held request must not hold off schema changes), the
// executor describes it to the server's injector (Config.Faults) and
// answers as the rule says. A TimedOut failure is the error a coordinator
// raises when replicas do not answer in time: ReadTimeout for a read,
// WriteTimeout with the statement's write type for a write (3.11's
// StorageProxy: SIMPLE, COUNTER, BATCH, UNLOGGED_BATCH, and CAS at the
// serial consistency for a lightweight transaction), TRUNCATE's
// TruncateException; Unavailable is UnavailableException at the
// statement's consistency (its serial consistency for a lightweight
// transaction; ALL for TRUNCATE). A schema statement or USE has no such
// errors in 3.11: they answer a ServerError naming the injected failure.

// faultStmt is what the injector and the error bodies need to know of one
// statement.
type faultStmt struct {
	call      faults.Call
	cl        primitive.ConsistencyLevel // the level the error body reports
	writeType string                     // "" for a read or a statement without one
}

// faultDescribe describes st, run by a session on keyspace with the
// request's consistency levels.
func (e *Executor) faultDescribe(st cqlparse.Statement, keyspace string, cl, serial primitive.ConsistencyLevel) faultStmt {
	f := faultStmt{call: faults.Call{Protocol: faults.CQL}, cl: cl}
	table := func(q cqlparse.QualifiedName) {
		f.call.Keyspace, f.call.Table = keyspace, q.Name.Name
		if q.Keyspace.Name != "" {
			f.call.Keyspace = q.Keyspace.Name
		}
	}
	lwt := func() {
		f.call.Serial, f.cl, f.writeType = true, serial, "CAS"
	}
	switch s := st.(type) {
	case *cqlparse.SelectStmt:
		f.call.Method = faults.Select
		table(s.Table)
		f.call.Serial = cl == primitive.ConsistencyLevelSerial || cl == primitive.ConsistencyLevelLocalSerial
	case *cqlparse.InsertStmt:
		f.call.Method, f.writeType = faults.Insert, "SIMPLE"
		table(s.Table)
		if s.IfNotExists {
			lwt()
		}
	case *cqlparse.UpdateStmt:
		f.call.Method, f.writeType = faults.Update, "SIMPLE"
		table(s.Table)
		if e.isCounterTable(f.call.Keyspace, f.call.Table) {
			f.writeType = "COUNTER"
		}
		if s.IfExists || len(s.Conditions) > 0 {
			lwt()
		}
	case *cqlparse.DeleteStmt:
		f.call.Method, f.writeType = faults.Delete, "SIMPLE"
		table(s.Table)
		if s.IfExists || len(s.Conditions) > 0 {
			lwt()
		}
	case *cqlparse.BatchStmt:
		f.call.Method = faults.Batch
		f.writeType = batchWriteType(s.Type)
		for i, c := range s.Statements {
			cf := e.faultDescribe(c, keyspace, cl, serial)
			if i == 0 {
				f.call.Keyspace, f.call.Table = cf.call.Keyspace, cf.call.Table
			}
			if cf.call.Serial {
				lwt()
			}
		}
	case *cqlparse.TruncateStmt:
		f.call.Method, f.cl = faults.Truncate, primitive.ConsistencyLevelAll
		table(s.Table)
	case *cqlparse.UseStmt:
		f.call.Method, f.call.Keyspace = faults.Use, s.Keyspace.Name
	case *cqlparse.CreateKeyspaceStmt:
		f.call.Method, f.call.Keyspace = faults.Schema, s.Keyspace.Name
	case *cqlparse.AlterKeyspaceStmt:
		f.call.Method, f.call.Keyspace = faults.Schema, s.Keyspace.Name
	case *cqlparse.DropKeyspaceStmt:
		f.call.Method, f.call.Keyspace = faults.Schema, s.Keyspace.Name
	case *cqlparse.CreateTableStmt:
		f.call.Method = faults.Schema
		table(s.Table)
	case *cqlparse.AlterTableStmt:
		f.call.Method = faults.Schema
		table(s.Table)
	case *cqlparse.DropTableStmt:
		f.call.Method = faults.Schema
		table(s.Table)
	case *cqlparse.CreateIndexStmt:
		f.call.Method = faults.Schema
		table(s.Table)
	default:
		f.call.Method, f.call.Keyspace = faults.Schema, keyspace
	}
	return f
}

func batchWriteType(t cqlparse.BatchType) string {
	switch t {
	case cqlparse.BatchUnlogged:
		return "UNLOGGED_BATCH"
	case cqlparse.BatchCounter:
		return "COUNTER"
	}
	return "BATCH"
}

func (e *Executor) isCounterTable(ks, table string) bool {
	t, err := e.node.Catalog().Lookup(ks, table)
	return err == nil && t.Counter
}

// injectStatement consults the injector for a statement: ok reports that
// the request is answered (or dropped) by the fault, with resp.
func (e *Executor) injectStatement(ctx context.Context, st cqlparse.Statement, keyspace string, o *message.QueryOptions) (native.Response, bool) {
	if !e.faults.Armed() {
		return native.Response{}, false
	}
	cl, serial := primitive.ConsistencyLevelOne, primitive.ConsistencyLevelSerial
	if o != nil {
		cl = o.Consistency
		if o.SerialConsistency != nil {
			serial = *o.SerialConsistency
		}
	}
	return e.inject(ctx, e.faultDescribe(st, keyspace, cl, serial))
}

// injectBatch consults the injector for a BATCH message: a batch of its
// type on the table of its first statement, a lightweight transaction
// when any statement is conditional.
func (e *Executor) injectBatch(ctx context.Context, s *native.Session, b *message.Batch) (native.Response, bool) {
	if !e.faults.Armed() {
		return native.Response{}, false
	}
	serial := primitive.ConsistencyLevelSerial
	if b.SerialConsistency != nil {
		serial = *b.SerialConsistency
	}
	batch := &cqlparse.BatchStmt{}
	switch b.Type {
	case primitive.BatchTypeUnlogged:
		batch.Type = cqlparse.BatchUnlogged
	case primitive.BatchTypeCounter:
		batch.Type = cqlparse.BatchCounter
	}
	for _, c := range b.Children {
		if c.Id != nil {
			if p := e.cache.get(c.Id); p != nil {
				batch.Statements = append(batch.Statements, p.parsed.Statement)
			}
		} else if parsed, err := cqlparse.Parse(c.Query); err == nil {
			batch.Statements = append(batch.Statements, parsed.Statement)
		}
	}
	return e.inject(ctx, e.faultDescribe(batch, s.Keyspace(), b.Consistency, serial))
}

// inject applies the action of the matching rule, if any.
func (e *Executor) inject(ctx context.Context, f faultStmt) (native.Response, bool) {
	act := e.faults.CheckCall(f.call)
	if act.IsZero() {
		return native.Response{}, false
	}
	if err := act.Wait(ctx); err != nil {
		return native.Response{Drop: true}, true // the connection or the server is closing
	}
	switch {
	case act.Drop:
		return native.Response{Drop: true}, true
	case act.Fail == faults.None:
		return native.Response{}, false
	}
	return native.Reply(e.faultError(f, act)), true
}

// faultError is the error message of an injected failure.
func (e *Executor) faultError(f faultStmt, act faults.Action) message.Message {
	var blockFor int32 = 1
	if ks := e.node.Catalog().FindKeyspace(f.call.Keyspace); ks != nil {
		if n := validate.BlockFor(ks, thriftConsistency(f.cl)); n > 0 {
			blockFor = int32(n)
		}
	}
	if f.call.Method == faults.Truncate {
		blockFor = 1
	}
	switch f.call.Method {
	case faults.Schema, faults.Use:
		return &message.ServerError{ErrorMessage: fmt.Sprintf("injected fault: %v (a %s statement has no such error)", act.Fail, f.call.Method)}
	}
	if act.Fail == faults.Unavailable {
		// UnavailableException: one replica short of the level.
		msg := "Cannot achieve consistency level " + consistencyName(f.cl)
		if f.call.Method == faults.Truncate {
			msg = "Cannot perform truncate, some hosts are down"
		}
		return &message.Unavailable{ErrorMessage: msg, Consistency: f.cl, Required: blockFor, Alive: blockFor - 1}
	}
	received := int32(act.Received)
	msg := fmt.Sprintf("Operation timed out - received only %d responses.", received)
	switch {
	case f.call.Method == faults.Truncate:
		return &message.TruncateError{ErrorMessage: "Error during truncate: Truncate timed out - received only 0 responses"}
	case f.writeType == "":
		return &message.ReadTimeout{ErrorMessage: msg, Consistency: f.cl, Received: received, BlockFor: blockFor, DataPresent: act.DataPresent}
	}
	wt := f.writeType
	if act.WriteType != "" {
		wt = act.WriteType
	}
	return &message.WriteTimeout{ErrorMessage: msg, Consistency: f.cl, Received: received, BlockFor: blockFor, WriteType: primitive.WriteType(wt)}
}

// consistencyName is the level's name as Cassandra prints it.
func consistencyName(cl primitive.ConsistencyLevel) string {
	names := [...]string{"ANY", "ONE", "TWO", "THREE", "QUORUM", "ALL", "LOCAL_QUORUM", "EACH_QUORUM",
		"SERIAL", "LOCAL_SERIAL", "LOCAL_ONE"}
	if int(cl) < len(names) {
		return names[cl]
	}
	return fmt.Sprintf("UNKNOWN(%d)", int(cl))
}

// thriftConsistency maps a native consistency level to the Thrift enum
// the node's replica counting takes.
func thriftConsistency(cl primitive.ConsistencyLevel) thriftgen.ConsistencyLevel {
	switch cl {
	case primitive.ConsistencyLevelAny:
		return thriftgen.ConsistencyLevel_ANY
	case primitive.ConsistencyLevelTwo:
		return thriftgen.ConsistencyLevel_TWO
	case primitive.ConsistencyLevelThree:
		return thriftgen.ConsistencyLevel_THREE
	case primitive.ConsistencyLevelQuorum:
		return thriftgen.ConsistencyLevel_QUORUM
	case primitive.ConsistencyLevelAll:
		return thriftgen.ConsistencyLevel_ALL
	case primitive.ConsistencyLevelLocalQuorum:
		return thriftgen.ConsistencyLevel_LOCAL_QUORUM
	case primitive.ConsistencyLevelEachQuorum:
		return thriftgen.ConsistencyLevel_EACH_QUORUM
	case primitive.ConsistencyLevelSerial:
		return thriftgen.ConsistencyLevel_SERIAL
	case primitive.ConsistencyLevelLocalSerial:
		return thriftgen.ConsistencyLevel_LOCAL_SERIAL
	case primitive.ConsistencyLevelLocalOne:
		return thriftgen.ConsistencyLevel_LOCAL_ONE
	}
	return thriftgen.ConsistencyLevel_ONE
}
