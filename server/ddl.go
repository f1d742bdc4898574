package server

import (
	"context"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/cassa-go/cassa/server/internal/schema"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// changeSchema runs a schema change through the write path while no
// request is in flight, so no request ever sees a catalog and a store that
// disagree. It returns the new schema version.
func (c *conn) changeSchema(op schemaOp) (string, error) {
	n := c.srv.node
	n.ddl.Lock()
	defer n.ddl.Unlock()
	ch, err := n.w.ChangeSchema(op)
	if err != nil {
		return "", thriftErr(err)
	}
	return ch.Version(), nil
}

// preventSystemModification is ClientState.preventSystemKSSchemaModification
// for a CREATE, ALTER or DROP access check on keyspace ks: system and
// system_schema, in any case (SchemaConstants.isLocalSystemKeyspace). It is
// an UnauthorizedException in Cassandra, which Thrift reports as an IRE
// whose text ends with a full stop (unlike validateKeyspaceNotSystem's for
// the system_*_keyspace calls).
func preventSystemModification(ks string) error {
	if schema.IsLocalSystemKeyspace(ks) {
		return ire(ks + " keyspace is not user-modifiable.")
	}
	return nil
}

// schemaResult fills the (version, error) pair every system_* result holds.
func schemaResult(v string, err error, success **string, ireF **tg.InvalidRequestException) error {
	if err != nil {
		return declare(err, ireF)
	}
	*success = &v
	return nil
}

func (c *conn) systemAddKeyspace(_ context.Context, a *tg.CassandraSystemAddKeyspaceArgs) (thrift.TStruct, error) {
	r := &tg.CassandraSystemAddKeyspaceResult{}
	if err := c.requireLogin(); err != nil {
		return r, declare(err, &r.Ire)
	}
	if a.KsDef == nil {
		return r, declare(ire("KsDef is required"), &r.Ire)
	}
	v, err := c.changeSchema(schemaOp{Kind: schema.KeyspaceAdded, KsDef: a.KsDef})
	return r, schemaResult(v, err, &r.Success, &r.Ire)
}

func (c *conn) systemUpdateKeyspace(_ context.Context, a *tg.CassandraSystemUpdateKeyspaceArgs) (thrift.TStruct, error) {
	r := &tg.CassandraSystemUpdateKeyspaceResult{}
	if err := c.requireLogin(); err != nil {
		return r, declare(err, &r.Ire)
	}
	if a.KsDef == nil {
		return r, declare(ire("KsDef is required"), &r.Ire)
	}
	v, err := c.changeSchema(schemaOp{Kind: schema.KeyspaceUpdated, KsDef: a.KsDef})
	return r, schemaResult(v, err, &r.Success, &r.Ire)
}

func (c *conn) systemDropKeyspace(_ context.Context, a *tg.CassandraSystemDropKeyspaceArgs) (thrift.TStruct, error) {
	r := &tg.CassandraSystemDropKeyspaceResult{}
	if err := c.requireLogin(); err != nil {
		return r, declare(err, &r.Ire)
	}
	v, err := c.changeSchema(schemaOp{Kind: schema.KeyspaceDropped, Keyspace: a.Keyspace})
	return r, schemaResult(v, err, &r.Success, &r.Ire)
}

func (c *conn) systemAddColumnFamily(_ context.Context, a *tg.CassandraSystemAddColumnFamilyArgs) (thrift.TStruct, error) {
	r := &tg.CassandraSystemAddColumnFamilyResult{}
	// The session keyspace is only needed for Cassandra's permission
	// check, but it is needed: the CF goes into cf_def.keyspace.
	if c.sess.keyspace == "" {
		return r, declare(ire(msgNoKeyspace), &r.Ire)
	}
	if err := c.requireLogin(); err != nil {
		return r, declare(err, &r.Ire)
	}
	// Cassandra's access check is on the session keyspace; the target
	// keyspace is guarded too, so that the system keyspace stays
	// unmodifiable whichever keyspace the session uses.
	if err := preventSystemModification(c.sess.keyspace); err != nil {
		return r, declare(err, &r.Ire)
	}
	if a.CfDef == nil {
		return r, declare(ire("CfDef is required"), &r.Ire)
	}
	if err := preventSystemModification(a.CfDef.Keyspace); err != nil {
		return r, declare(err, &r.Ire)
	}
	v, err := c.changeSchema(schemaOp{Kind: schema.TableAdded, CfDef: a.CfDef})
	return r, schemaResult(v, err, &r.Success, &r.Ire)
}

func (c *conn) systemUpdateColumnFamily(_ context.Context, a *tg.CassandraSystemUpdateColumnFamilyArgs) (thrift.TStruct, error) {
	r := &tg.CassandraSystemUpdateColumnFamilyResult{}
	if a.CfDef == nil || a.CfDef.Keyspace == "" || a.CfDef.Name == "" {
		return r, declare(ire("Keyspace and CF name must be set."), &r.Ire)
	}
	if _, err := c.lookupIn(c.srv.node.schema.Current(), a.CfDef.Keyspace, a.CfDef.Name); err != nil {
		return r, declare(err, &r.Ire)
	}
	if err := preventSystemModification(a.CfDef.Keyspace); err != nil {
		return r, declare(err, &r.Ire)
	}
	v, err := c.changeSchema(schemaOp{Kind: schema.TableUpdated, CfDef: a.CfDef})
	return r, schemaResult(v, err, &r.Success, &r.Ire)
}

func (c *conn) systemDropColumnFamily(_ context.Context, a *tg.CassandraSystemDropColumnFamilyArgs) (thrift.TStruct, error) {
	r := &tg.CassandraSystemDropColumnFamilyResult{}
	if _, err := c.lookup(c.srv.node.schema.Current(), a.ColumnFamily); err != nil {
		return r, declare(err, &r.Ire)
	}
	if err := preventSystemModification(c.sess.keyspace); err != nil {
		return r, declare(err, &r.Ire)
	}
	v, err := c.changeSchema(schemaOp{Kind: schema.TableDropped, Keyspace: c.sess.keyspace, Table: a.ColumnFamily})
	return r, schemaResult(v, err, &r.Success, &r.Ire)
}

// changeSchemaCQL runs a CQL schema statement through the write path (so
// the commit log records it) while no request is in flight, as
// changeSchema does for the Thrift system_* calls. A nil Change with a nil
// error is a no-op under IF [NOT] EXISTS.
func (n *node) changeSchemaCQL(op *schema.Op) (*schema.Change, error) {
	n.ddl.Lock()
	defer n.ddl.Unlock()
	return n.w.ChangeSchema(schemaOp{CQL: op})
}
