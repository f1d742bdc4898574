package expiry

import (
	"fmt"
	"log/slog"
	"math"
	"strings"
	"sync"
	"time"
)

// Policy is ExpirationDateOverflowHandling.ExpirationDateOverflowPolicy.
// The zero value is Reject, Cassandra's default.
type Policy uint8

// The policies of cassandra.expiration_date_overflow_policy.
const (
	// Reject refuses a write whose expiration would pass MaxDeletionTime.
	Reject Policy = iota
	// Cap accepts it with the expiration capped to MaxDeletionTime, warns
	// the client and logs a rate-limited warning.
	Cap
	// CapNoWarn caps like Cap and only logs the rate-limited warning.
	CapNoWarn
)

// String returns the name Cassandra gives the policy.
func (p Policy) String() string {
	switch p {
	case Reject:
		return "REJECT"
	case Cap:
		return "CAP"
	case CapNoWarn:
		return "CAP_NOWARN"
	}
	return fmt.Sprintf("Policy(%d)", uint8(p))
}

// ParsePolicy reads a policy name as Cassandra reads the system property
// (ExpirationDateOverflowPolicy.valueOf of the upper-cased value). An
// empty name is Reject. Where Cassandra logs an unknown name and falls
// back to REJECT, ParsePolicy returns an error, so a misspelt setting is
// noticed.
func ParsePolicy(s string) (Policy, error) {
	switch strings.ToUpper(s) {
	case "", "REJECT":
		return Reject, nil
	case "CAP":
		return Cap, nil
	case "CAP_NOWARN":
		return CapNoWarn, nil
	}
	return Reject, fmt.Errorf("expiry: invalid expiration date overflow policy %q (want REJECT, CAP or CAP_NOWARN)", s)
}

// MaxDeletionTime is Cell.MAX_DELETION_TIME: the latest local expiration
// time a cell can have, 2038-01-19T03:14:06Z in Unix seconds.
const MaxDeletionTime = math.MaxInt32 - 1

// DefaultWarningInterval is how often the overflow warning is logged at
// most (cassandra.expiration_overflow_warning_interval_minutes, 5).
const DefaultWarningInterval = 5 * time.Minute

// LocalExpirationTime is ExpirationDateOverflowHandling.computeLocalExpirationTime:
// nowSec + ttl, or MaxDeletionTime when the sum does not fit Cassandra's
// 32-bit expiration time.
func LocalExpirationTime(nowSec int64, ttl int32) int64 {
	t := nowSec + int64(ttl)
	if t > math.MaxInt32 || t < 0 {
		return MaxDeletionTime
	}
	return t
}

// Overflows reports whether a write at now with this TTL (in seconds, 0:
// none) passes the 32-bit expiration limit: Java's int sum of
// (int)(currentTimeMillis() / 1000) and ttl turns negative.
func Overflows(ttl int32, now time.Time) bool {
	if ttl == 0 {
		return false
	}
	return now.UnixMilli()/1000+int64(ttl) > math.MaxInt32
}

// OverflowError is the InvalidRequestException REJECT raises; Error is
// Cassandra's message, word for word.
type OverflowError struct {
	Keyspace, Table string
	TTL             int32
	// Default says the TTL is the table's default_time_to_live.
	Default bool
}

// Error implements error with MAXIMUM_EXPIRATION_DATE_EXCEEDED_REJECT_MESSAGE.
func (e *OverflowError) Error() string {
	return fmt.Sprintf("Request on table %s.%s with %sttl of %d seconds exceeds maximum supported expiration date "+
		"of 2038-01-19T03:14:06+00:00. In order to avoid this use a lower TTL, change the expiration date overflow "+
		"policy or upgrade to a version where this limitation is fixed. See CASSANDRA-14092 for more details.",
		e.Keyspace, e.Table, defaultWord(e.Default), e.TTL)
}

func defaultWord(isDefault bool) string {
	if isDefault {
		return "default "
	}
	return ""
}

// Warning is MAXIMUM_EXPIRATION_DATE_EXCEEDED_WARNING, what CAP tells the
// client and what both CAP policies log.
func Warning(keyspace, table string, ttl int32, isDefault bool) string {
	return fmt.Sprintf("Request on table %s.%s with %sttl of %d seconds exceeds maximum supported expiration date "+
		"of 2038-01-19T03:14:06+00:00 and will have its expiration capped to that date. In order to avoid this use a "+
		"lower TTL or upgrade to a version where this limitation is fixed. See CASSANDRA-14092 for more details.",
		keyspace, table, defaultWord(isDefault), ttl)
}

// Guard applies one policy. Its methods are safe for concurrent use; a nil
// *Guard rejects and logs nothing.
type Guard struct {
	policy   Policy
	log      *slog.Logger
	interval time.Duration

	mu       sync.Mutex
	lastWarn time.Time // when the warning was last logged (NoSpamLogger)
	warned   bool
}

// NewGuard returns a guard for p that logs the overflow warning to log at
// most once every DefaultWarningInterval (nil log: silent).
func NewGuard(p Policy, log *slog.Logger) *Guard {
	return &Guard{policy: p, log: log, interval: DefaultWarningInterval}
}

// Policy returns the guard's policy (Reject for a nil guard).
func (g *Guard) Policy() Policy {
	if g == nil {
		return Reject
	}
	return g.policy
}

// Check is maybeApplyExpirationDateOverflowPolicy for a write at now to
// keyspace.table with this TTL (isDefault: the table's
// default_time_to_live). When now + ttl fits, it returns "", nil. When it
// does not: REJECT returns an *OverflowError; CAP logs (rate-limited) and
// returns the warning for the client; CAP_NOWARN logs and returns "". The
// cap itself is LocalExpirationTime's, applied when the cell is stored.
func (g *Guard) Check(keyspace, table string, ttl int32, isDefault bool, now time.Time) (string, error) {
	if !Overflows(ttl, now) {
		return "", nil
	}
	switch g.Policy() {
	case Cap:
		g.logWarning(keyspace, table, ttl, isDefault, now)
		return Warning(keyspace, table, ttl, isDefault), nil
	case CapNoWarn:
		g.logWarning(keyspace, table, ttl, isDefault, now)
		return "", nil
	}
	return "", &OverflowError{Keyspace: keyspace, Table: table, TTL: ttl, Default: isDefault}
}

// logWarning is the NoSpamLogger warning: at most once per interval.
func (g *Guard) logWarning(keyspace, table string, ttl int32, isDefault bool, now time.Time) {
	if g.log == nil {
		return
	}
	g.mu.Lock()
	due := !g.warned || now.Sub(g.lastWarn) >= g.interval || now.Before(g.lastWarn)
	if due {
		g.warned, g.lastWarn = true, now
	}
	g.mu.Unlock()
	if due {
		g.log.Warn(Warning(keyspace, table, ttl, isDefault))
	}
}
