// Calls otklik.v1.Admin/Health and WhoAmI on our daemon with containerd's ttrpc client (Go) and
// checks the answers. Exit status 0 means the daemon speaks ttrpc as ttrpc itself does.
package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/containerd/ttrpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Wire-identical to otklik.v1 messages in proto/otklik/v1/*.proto (gogo/protobuf marshals by tags).
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
	Uid    uint32   `protobuf:"varint,1,opt,name=uid,proto3"`
	Gid    uint32   `protobuf:"varint,2,opt,name=gid,proto3"`
	Pid    int32    `protobuf:"varint,3,opt,name=pid,proto3"`
	Login  string   `protobuf:"bytes,4,opt,name=login,proto3"`
	Roles  []string `protobuf:"bytes,5,rep,name=roles,proto3"`
	OsUser string   `protobuf:"bytes,6,opt,name=os_user,proto3"`
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

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "interop client: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	if len(os.Args) != 2 {
		fail("usage: client SOCKET")
	}
	conn, err := net.Dial("unix", os.Args[1])
	if err != nil {
		fail("dial: %v", err)
	}
	client := ttrpc.NewClient(conn)
	defer client.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	var health HealthResponse
	if err := client.Call(ctx, "otklik.v1.Admin", "Health", &HealthRequest{}, &health); err != nil {
		fail("Health: %v", err)
	}
	if health.State != 1 || health.Version == "" || health.SchemaVersion < 1 || health.OpenConnections < 1 {
		fail("Health answered %+v", health)
	}

	var me WhoAmIResponse
	if err := client.Call(ctx, "otklik.v1.Admin", "WhoAmI", &HealthRequest{}, &me); err != nil {
		fail("WhoAmI: %v", err)
	}
	if me.Uid != uint32(os.Getuid()) || me.Pid != int32(os.Getpid()) || me.Login == "" {
		fail("WhoAmI answered %+v (want uid %d pid %d)", me, os.Getuid(), os.Getpid())
	}

	// Concurrent calls on one connection.
	errs := make(chan error, 32)
	for i := 0; i < 32; i++ {
		go func(i int) {
			var echo EchoResponse
			body := []byte(fmt.Sprintf("call %d", i))
			err := client.Call(ctx, "otklik.v1.Diagnostics", "Echo", &EchoRequest{Body: body, DelayMs: uint32(i % 4)}, &echo)
			if err == nil && string(echo.Body) != string(body) {
				err = fmt.Errorf("echo %q came back as %q", body, echo.Body)
			}
			errs <- err
		}(i)
	}
	for i := 0; i < 32; i++ {
		if err := <-errs; err != nil {
			fail("Echo: %v", err)
		}
	}

	// Status codes travel as ttrpc expects them.
	var nothing HealthResponse
	err = client.Call(ctx, "otklik.v1.Admin", "NoSuchMethod", &HealthRequest{}, &nothing)
	if status.Code(err) != codes.Unimplemented {
		fail("unknown method gave %v, want Unimplemented", err)
	}
	short, cancelShort := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancelShort()
	var echo EchoResponse
	err = client.Call(short, "otklik.v1.Diagnostics", "Echo", &EchoRequest{DelayMs: 2000}, &echo)
	if status.Code(err) != codes.DeadlineExceeded {
		fail("slow call gave %v, want DeadlineExceeded", err)
	}

	fmt.Printf("go ttrpc client -> otklikd: Health %s schema %d, WhoAmI %s, 32 concurrent echoes, UNIMPLEMENTED and DEADLINE_EXCEEDED: ok\n",
		health.Version, health.SchemaVersion, me.Login)
}
