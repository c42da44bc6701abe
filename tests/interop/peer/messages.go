// Go mirrors of the otklik.v1 messages in proto/otklik/v1/*.proto; gogo/protobuf (which Debian's
// ttrpc uses) marshals them by their struct tags, so no generated Go code is needed.
package main

import "fmt"

type HealthRequest struct{}

func (m *HealthRequest) Reset()         { *m = HealthRequest{} }
func (m *HealthRequest) String() string { return "HealthRequest{}" }
func (*HealthRequest) ProtoMessage()    {}

type HealthResponse struct {
	State           int32  `protobuf:"varint,1,opt,name=state,proto3"`
	Version         string `protobuf:"bytes,2,opt,name=version,proto3"`
	UptimeSeconds   int64  `protobuf:"varint,3,opt,name=uptime_seconds,proto3"`
	SchemaVersion   int32  `protobuf:"varint,4,opt,name=schema_version,proto3"`
	OpenConnections int32  `protobuf:"varint,5,opt,name=open_connections,proto3"`
	StartedAtUnix   int64  `protobuf:"varint,6,opt,name=started_at_unix,proto3"`
	EventCount      int64  `protobuf:"varint,7,opt,name=event_count,proto3"`
}

func (m *HealthResponse) Reset()         { *m = HealthResponse{} }
func (m *HealthResponse) String() string { return fmt.Sprintf("%+v", *m) }
func (*HealthResponse) ProtoMessage()    {}

type WhoAmIResponse struct {
	Uid    uint32  `protobuf:"varint,1,opt,name=uid,proto3"`
	Gid    uint32  `protobuf:"varint,2,opt,name=gid,proto3"`
	Pid    int32   `protobuf:"varint,3,opt,name=pid,proto3"`
	Login  string  `protobuf:"bytes,4,opt,name=login,proto3"`
	Roles  []int32 `protobuf:"varint,7,rep,packed,name=roles,proto3"` // otklik.v1.Role (words.proto)
	OsUser string  `protobuf:"bytes,6,opt,name=os_user,proto3"`
}

func (m *WhoAmIResponse) Reset()         { *m = WhoAmIResponse{} }
func (m *WhoAmIResponse) String() string { return fmt.Sprintf("%+v", *m) }
func (*WhoAmIResponse) ProtoMessage()    {}

type EchoRequest struct {
	Body    []byte `protobuf:"bytes,1,opt,name=body,proto3"`
	DelayMs uint32 `protobuf:"varint,2,opt,name=delay_ms,proto3"`
}

func (m *EchoRequest) Reset()         { *m = EchoRequest{} }
func (m *EchoRequest) String() string { return fmt.Sprintf("%+v", *m) }
func (*EchoRequest) ProtoMessage()    {}

type EchoResponse struct {
	Body []byte `protobuf:"bytes,1,opt,name=body,proto3"`
}

func (m *EchoResponse) Reset()         { *m = EchoResponse{} }
func (m *EchoResponse) String() string { return fmt.Sprintf("%+v", *m) }
func (*EchoResponse) ProtoMessage()    {}
