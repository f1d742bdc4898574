package cql

import (
	"sync/atomic"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
)

// schemaWatch counts the schema changes a session learns of: the schema
// statements it runs itself, and the keyspace, table and user type
// changes gocql reports from the cluster's schema events (a moment after
// another client's change: gocql refreshes its metadata a second after
// the event, and then calls these listeners).
type schemaWatch struct{ n atomic.Uint64 }

func (w *schemaWatch) changed() { w.n.Add(1) }

func (w *schemaWatch) OnKeyspaceCreated(gocql.OnKeyspaceCreatedEvent) { w.changed() }
func (w *schemaWatch) OnKeyspaceUpdated(gocql.OnKeyspaceUpdatedEvent) { w.changed() }
func (w *schemaWatch) OnKeyspaceDropped(gocql.OnKeyspaceDroppedEvent) { w.changed() }
func (w *schemaWatch) OnTableCreated(gocql.OnTableCreatedEvent)       { w.changed() }
func (w *schemaWatch) OnTableUpdated(gocql.OnTableUpdatedEvent)       { w.changed() }
func (w *schemaWatch) OnTableDropped(gocql.OnTableDroppedEvent)       { w.changed() }
func (w *schemaWatch) OnUserTypeCreated(gocql.OnUserTypeCreatedEvent) { w.changed() }
func (w *schemaWatch) OnUserTypeUpdated(gocql.OnUserTypeUpdatedEvent) { w.changed() }
func (w *schemaWatch) OnUserTypeDropped(gocql.OnUserTypeDroppedEvent) { w.changed() }

// listen registers w with gocql's schema listeners, as far as the
// metadata cache mode allows them (gocql refuses to open a session with
// listeners its cache mode cannot serve). It runs after Config's driver
// hook, and leaves alone any listener the hook set.
func (w *schemaWatch) listen(cc *gocql.ClusterConfig) {
	l := &cc.Metadata.SchemaListener
	switch cc.Metadata.CacheMode {
	case gocql.Full:
		if l.TableChangeListener == nil {
			l.TableChangeListener = w
		}
		if l.UserTypeChangeListener == nil {
			l.UserTypeChangeListener = w
		}
		fallthrough
	case gocql.KeyspaceOnly:
		if l.KeyspaceChangeListener == nil {
			l.KeyspaceChangeListener = w
		}
	}
}

// SchemaChanges counts the schema changes the session has seen: the
// schema statements (CREATE, ALTER, DROP, ...) it ran through Exec, and
// the keyspace, table and user type changes the cluster announced
// (another client's ALTER TABLE is counted a second or so after it, when
// gocql has refreshed its metadata; not at all when Config's driver hook
// disabled gocql's metadata cache). A mapper that read a table's
// definition compares the count it read it at with this one to know when
// to read it again, so that its statements follow ALTER TABLE.
func (s *Session) SchemaChanges() uint64 {
	if s == nil {
		return 0
	}
	return s.schema.n.Load()
}
