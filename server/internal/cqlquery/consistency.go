package cqlquery

import (
	"errors"

	"github.com/cassa-go/cassa/server/internal/validate"
	"github.com/cassa-go/cassa/thriftgen"
)

// The native protocol's consistency codes.
const (
	clAny         uint16 = 0x0000
	clOne         uint16 = 0x0001
	clTwo         uint16 = 0x0002
	clThree       uint16 = 0x0003
	clQuorum      uint16 = 0x0004
	clAll         uint16 = 0x0005
	clLocalQuorum uint16 = 0x0006
	clEachQuorum  uint16 = 0x0007
	clSerial      uint16 = 0x0008
	clLocalSerial uint16 = 0x0009
	clLocalOne    uint16 = 0x000A
)

var clNames = [...]string{"ANY", "ONE", "TWO", "THREE", "QUORUM", "ALL", "LOCAL_QUORUM", "EACH_QUORUM",
	"SERIAL", "LOCAL_SERIAL", "LOCAL_ONE"}

func clName(cl uint16) string {
	if int(cl) < len(clNames) {
		return clNames[cl]
	}
	return "UNKNOWN"
}

// thriftCL maps a native consistency code to the Thrift enum the node's
// availability rules use.
func thriftCL(cl uint16) thriftgen.ConsistencyLevel {
	return [...]thriftgen.ConsistencyLevel{
		thriftgen.ConsistencyLevel_ANY, thriftgen.ConsistencyLevel_ONE, thriftgen.ConsistencyLevel_TWO,
		thriftgen.ConsistencyLevel_THREE, thriftgen.ConsistencyLevel_QUORUM, thriftgen.ConsistencyLevel_ALL,
		thriftgen.ConsistencyLevel_LOCAL_QUORUM, thriftgen.ConsistencyLevel_EACH_QUORUM,
		thriftgen.ConsistencyLevel_SERIAL, thriftgen.ConsistencyLevel_LOCAL_SERIAL,
		thriftgen.ConsistencyLevel_LOCAL_ONE}[min(int(cl), 10)]
}

// available is ConsistencyLevel.assureSufficientLiveNodes on this node.
func available(env *Env, tb *table, cl uint16) error {
	if tb.t.Virtual {
		return nil
	}
	if cl > clLocalOne {
		return &Error{Code: CodeProtocol, Message: "Unknown code " + itoa(int(cl)) + " for a consistency level"}
	}
	ks := env.Catalog().FindKeyspace(tb.t.Keyspace)
	err := validate.Available(ks, thriftCL(cl))
	var ue *validate.UnavailableError
	if errors.As(err, &ue) {
		return &Error{Code: CodeUnavailable, Message: "Cannot achieve consistency level " + clName(cl),
			Consistency: cl, Required: ue.Required, Alive: ue.Alive}
	}
	return nil
}

// paxosAvailable is what a serial operation (a lightweight transaction,
// a SERIAL or LOCAL_SERIAL read) needs on this node: Paxos participants,
// which 3.11's StorageProxy.getPaxosParticipants counts among the nodes
// that hold a replica (this one, when the keyspace places one in its
// datacenter: one participant, a quorum of one), and then the read of the
// current values at QUORUM, or LOCAL_QUORUM for LOCAL_SERIAL (readOne in
// cas, fetchRows in readWithPaxos), whose replicas are counted by the
// replication factor. So a keyspace of replication factor 3 fails that
// read, as Unavailable at QUORUM, not at SERIAL.
func paxosAvailable(env *Env, tb *table, serial uint16) error {
	if tb.t.Virtual {
		return nil
	}
	ks := env.Catalog().FindKeyspace(tb.t.Keyspace)
	if ks != nil && validate.LiveReplicas(ks) == 0 {
		return &Error{Code: CodeUnavailable, Message: "Cannot achieve consistency level " + clName(serial),
			Consistency: serial, Required: 1, Alive: 0}
	}
	read := clQuorum
	if serial == clLocalSerial {
		read = clLocalQuorum
	}
	return available(env, tb, read)
}

// checkRead is ConsistencyLevel.validateForRead.
func checkRead(o *Options) error {
	if o.Consistency == clAny {
		return invalid("ANY ConsistencyLevel is only supported for writes")
	}
	return nil
}

// checkWrite is ConsistencyLevel.validateForWrite (or
// validateCounterForWrite); availability is checked when the write is
// ready.
func checkWrite(tb *table, o *Options, counter bool) error {
	cl := o.Consistency
	if counter {
		if cl == clAny {
			return invalidf("Consistency level ANY is not yet supported for counter table %s", tb.t.Name)
		}
		if cl == clSerial || cl == clLocalSerial {
			return invalid("Counter operations are inherently non-serializable")
		}
	} else if cl == clSerial || cl == clLocalSerial {
		return invalid("You must use conditional updates for serializable writes")
	}
	return nil
}
