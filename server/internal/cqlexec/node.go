package cqlexec

import (
	"net"
	"time"

	"github.com/google/uuid"

	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/server/internal/store"
)

// Node is what the executor needs from the node it serves: package server
// implements it over its schema, store and write path (the commit log
// when the server is durable). Every method is safe for concurrent use.
type Node interface {
	// Catalog returns the current schema snapshot.
	Catalog() *schema.Catalog
	// Store is the node's storage, for reads.
	Store() *store.Store
	// Partitioner is the node's partitioner.
	Partitioner() partitioner.Partitioner
	// Now is the node's clock (server-side timestamps, TTL expiry).
	Now() time.Time
	// Info returns the facts system.local reports; they do not change
	// while the node runs.
	Info() NodeInfo

	// ReadLock holds off schema changes until the returned function is
	// called: a statement that reads the catalog and then the store holds
	// it from its catalog lookup to its last storage access, as the Thrift
	// side does, so that it never sees a catalog and a store that
	// disagree. It must not be held across ChangeSchema.
	ReadLock() (unlock func())
	// Write applies row mutations through the node's write path (logged
	// first when durable), each row atomically.
	Write(muts []store.RowMutation) error
	// Truncate empties a table through the write path.
	Truncate(t *schema.Table) error
	// CAS runs a lightweight transaction on one partition: fn reads the
	// partition, locked for writing, and returns the ops to write, which
	// go through the write path (logged first when durable) and are
	// applied before the lock is released (store.ReadModifyWrite). Thrift's
	// cas holds the same lock, so the two serialise.
	CAS(t *schema.Table, key []byte, fn func(*store.Partition) ([]store.Op, error)) error
	// ChangeSchema runs one CQL schema statement through the write path
	// while no statement holds ReadLock, and returns the change; a nil
	// Change with a nil error is an IF [NOT] EXISTS no-op. Errors are
	// *schema.Error for what the statement got wrong.
	ChangeSchema(op *schema.Op) (*schema.Change, error)
}

// NodeInfo are the facts about a node that system.local shows
// (SystemKeyspace.persistLocalMetadata).
type NodeInfo struct {
	// ClusterName is cluster_name.
	ClusterName string
	// Tokens are the node's tokens as the partitioner prints them.
	Tokens []string
	// HostID is host_id: stable for the life of the node.
	HostID uuid.UUID
	// Address is broadcast_address, listen_address and rpc_address: the
	// address clients reach the native protocol on.
	Address net.IP
	// Started is when the node started; gossip_generation is its Unix
	// time in seconds.
	Started time.Time
}
