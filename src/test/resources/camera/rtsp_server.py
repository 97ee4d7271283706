#!/usr/bin/python3
"""A local RTSP server for CameraRtspIT: serves an H.264 MP4 at rtsp://127.0.0.1:PORT/cam.

Usage: rtsp_server.py CLIP.mp4 PORT. Each client gets the clip from its start, paced in real
time, once (tests use a clip longer than they run). Prints "ready" once
listening.
"""
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

clip, port = sys.argv[1], sys.argv[2]
Gst.init(None)
server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(port)
factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch(
    f'( filesrc location="{clip}" ! qtdemux ! h264parse'
    " ! rtph264pay name=pay0 pt=96 config-interval=1 )"
)
factory.set_shared(False)
server.get_mount_points().add_factory("/cam", factory)
if server.attach(None) == 0:
    print(f"cannot listen on port {port}", file=sys.stderr, flush=True)
    sys.exit(1)
print("ready", flush=True)
GLib.MainLoop().run()
