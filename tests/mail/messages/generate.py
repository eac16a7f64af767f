#!/usr/bin/env python3
"""Writes the real-world-shaped test messages of tests/mail/messages/.

Run from the project's top directory after changing this file; the
messages are kept in the tree, so the tests never need Python.  Each
message imitates what one mail client sends (header order, boundaries,
encodings), with the project's own sample forms from tests/forms/good/
as attachments.  winmail.dat is built here: TNEF is attributes of
(level, id, length, data, checksum) after a signature, which is all
Outlook writes around a file.
"""
import base64
import os
import quopri
import struct
import sys

top = os.path.dirname(os.path.abspath(__file__))
forms = os.path.join(top, "..", "..", "forms", "good")
PDF = open(os.path.join(forms, "aluminum-pdfdoc-objstm.pdf"), "rb").read()
XML = open(os.path.join(forms, "aluminum-standard.xml"), "rb").read()


def b64(data):
    s = base64.b64encode(data).decode()
    return "\r\n".join(s[i:i + 76] for i in range(0, len(s), 76))


def qp(text, charset="utf-8"):
    return quopri.encodestring(text.encode(charset)).decode().replace(
        "\n", "\r\n")


def crlf(s):
    return s.replace("\r\n", "\n").replace("\n", "\r\n")


def write(name, text):
    with open(os.path.join(top, name), "wb") as f:
        f.write(crlf(text).encode("latin-1") if isinstance(text, str)
                else text)


# --- TNEF -----------------------------------------------------------
def tnef_attr(level, attr, data):
    return (struct.pack("<BII", level, attr, len(data)) + data +
            struct.pack("<H", sum(data) & 0xffff))


def mapi_string(tag, value, unicode=True):
    raw = (value.encode("utf-16-le") + b"\0\0" if unicode
           else value.encode("cp1252") + b"\0")
    pad = b"\0" * ((4 - len(raw) % 4) % 4)
    return struct.pack("<III", tag, 1, len(raw)) + raw + pad


def tnef(files):
    out = struct.pack("<IH", 0x223e9f78, 0x1234)
    out += tnef_attr(1, 0x00089006, struct.pack("<I", 0x00010000))
    out += tnef_attr(1, 0x00069007, struct.pack("<II", 1252, 0))
    out += tnef_attr(1, 0x00078008, b"IPM.Microsoft Mail.Note\0")
    for short, long_name, mime, data in files:
        out += tnef_attr(2, 0x00069002,
                         struct.pack("<HIHHI", 1, 0xffffffff, 0, 0, 0))
        out += tnef_attr(2, 0x00018010, short.encode() + b"\0")
        out += tnef_attr(2, 0x0006800f, data)
        props = (struct.pack("<I", 2) +
                 mapi_string(0x3707001f, long_name) +
                 mapi_string(0x370e001e, mime, unicode=False))
        out += tnef_attr(2, 0x00069005, props)
    return out


WINMAIL = tnef([
    ("ALUMIN~1.PDF", "Aluminum license form – March.pdf", "application/pdf",
     PDF),
    ("NOTES~1.TXT", "notes.txt", "text/plain", b"Shipment notes\r\n"),
])
open(os.path.join(top, "winmail.dat"), "wb").write(WINMAIL)

write("outlook-winmail-pdf.eml", """\
Received: from EXCH01.corp.example.com (10.0.0.5) by EXCH02.corp.example.com
 (10.0.0.6) with Microsoft SMTP Server id 15.1.2507.39; Mon, 2 Mar 2026
 09:14:02 -0500
From: "Ortega, Ana" <ana.ortega@importer.example>
To: "aluminum.license@aim.test" <aluminum.license@aim.test>
Subject: License application - portal down
Thread-Topic: License application - portal down
Thread-Index: AdqMQ1pZ3n0bH0XkQ8y1k2Vt9jQ2Aw==
Date: Mon, 2 Mar 2026 14:14:01 +0000
Message-ID: <DM6PR11MB4345E1F0A@DM6PR11MB4345.namprd11.prod.outlook.com>
Accept-Language: en-US
Content-Language: en-US
X-MS-Has-Attach: yes
X-MS-TNEF-Correlator: <DM6PR11MB4345E1F0A@DM6PR11MB4345.namprd11.prod.outlook.com>
MIME-Version: 1.0
Content-Type: multipart/mixed;
	boundary="_000_DM6PR11MB4345E1F0ADM6PR11MB4345namp_"

--_000_DM6PR11MB4345E1F0ADM6PR11MB4345namp_
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

Hello,

The portal is down, so I attach our license form.

Regards,
Ana Ortega

--_000_DM6PR11MB4345E1F0ADM6PR11MB4345namp_
Content-Type: application/ms-tnef; name="winmail.dat"
Content-Disposition: attachment; filename="winmail.dat"
Content-Transfer-Encoding: base64

""" + b64(WINMAIL) + """

--_000_DM6PR11MB4345E1F0ADM6PR11MB4345namp_--
""")

write("gmail-xml-form.eml", """\
MIME-Version: 1.0
Date: Tue, 3 Mar 2026 10:02:11 -0800
Message-ID: <CAHk7=wjQe3vX4fP1m0r2s9ZkL8qY@mail.gmail.com>
Subject: Emergency submission: aluminum license
From: Dev Patel <dev.patel.imports@gmail.com>
To: aluminum.license@aim.test
Content-Type: multipart/mixed; boundary="000000000000a1b2c3d4e5f60708"

--000000000000a1b2c3d4e5f60708
Content-Type: multipart/alternative; boundary="000000000000a1b2c3d4e5f60706"

--000000000000a1b2c3d4e5f60706
Content-Type: text/plain; charset="UTF-8"

Please find our form attached.

Dev

--000000000000a1b2c3d4e5f60706
Content-Type: text/html; charset="UTF-8"

<div dir=3D"ltr">Please find our form attached.<div><br></div><div>Dev</div></div>

--000000000000a1b2c3d4e5f60706--
--000000000000a1b2c3d4e5f60708
Content-Type: text/xml; charset="US-ASCII"; name="aluminum-standard.xml"
Content-Disposition: attachment; filename="aluminum-standard.xml"
Content-Transfer-Encoding: base64
X-Attachment-Id: f_lt9x0k1a0
Content-ID: <f_lt9x0k1a0>

""" + b64(XML) + """
--000000000000a1b2c3d4e5f60708--
""")

write("apple-mail-pdf.eml", """\
From: Lucie Martin <lucie@alu-trading.example>
Content-Type: multipart/mixed;
	boundary="Apple-Mail=_5F1A2B3C-4D5E-6F70-8192-A3B4C5D6E7F8"
Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3774.500.171.1.1\\))
Subject: =?utf-8?Q?Formulaire_de_licence_=E2=80=93_aluminium?=
Date: Wed, 4 Mar 2026 16:40:12 +0100
Message-Id: <7C1E2F3A-9B8D-4E5F-A1B2-C3D4E5F6A7B8@alu-trading.example>
To: aluminum.license@aim.test
X-Mailer: Apple Mail (2.3774.500.171.1.1)


--Apple-Mail=_5F1A2B3C-4D5E-6F70-8192-A3B4C5D6E7F8
Content-Transfer-Encoding: quoted-printable
Content-Type: text/plain;
	charset=utf-8

""" + qp("Bonjour,\n\nVoici le formulaire rempli.\n\nLucie Martin\n") + """
--Apple-Mail=_5F1A2B3C-4D5E-6F70-8192-A3B4C5D6E7F8
Content-Disposition: inline;
	filename=form.pdf
Content-Type: application/pdf;
	x-unix-mode=0644;
	name="form.pdf"
Content-Transfer-Encoding: base64

""" + b64(PDF) + """
--Apple-Mail=_5F1A2B3C-4D5E-6F70-8192-A3B4C5D6E7F8
Content-Transfer-Encoding: 7bit
Content-Type: text/plain;
	charset=us-ascii



--Apple-Mail=_5F1A2B3C-4D5E-6F70-8192-A3B4C5D6E7F8--
""")

# Thunderbird: RFC 2231 continuations with UTF-8, ISO-8859-1 text.
write("thunderbird-rfc2231.eml", """\
Message-ID: <4b2c9e1f-3a5d-4c7e-8f90-a1b2c3d4e5f6@stahl-handel.example>
Date: Thu, 5 Mar 2026 08:21:44 +0100
MIME-Version: 1.0
User-Agent: Mozilla Thunderbird
Content-Language: de-DE
To: steel.license@aim.test
From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <j.mueller@stahl-handel.example>
Subject: =?UTF-8?Q?Antrag_f=C3=BCr_Stahl=2DEinfuhr?=
Content-Type: multipart/mixed; boundary="------------0aB1cD2eF3gH4iJ5kL6mN7oP"

This is a multi-part message in MIME format.
--------------0aB1cD2eF3gH4iJ5kL6mN7oP
Content-Type: text/plain; charset=ISO-8859-1; format=flowed
Content-Transfer-Encoding: quoted-printable

""" + qp("Guten Tag,\n\nanbei unser Antrag f\u00fcr die Einfuhr.\n\nGr\u00fc\u00dfe\nJ\u00fcrgen M\u00fcller\n", "iso-8859-1") + """
--------------0aB1cD2eF3gH4iJ5kL6mN7oP
Content-Type: text/xml; charset=UTF-8;
 name*0*=UTF-8''Antrag%20f%C3%BCr%20die%20Stahl%2D%45infuhr%20%E2%80%93;
 name*1*=%20M%C3%A4rz.xml
Content-Disposition: attachment;
 filename*0*=UTF-8''Antrag%20f%C3%BCr%20die%20Stahl%2D%45infuhr%20%E2%80%93;
 filename*1*=%20M%C3%A4rz.xml
Content-Transfer-Encoding: base64

""" + b64(XML) + """

--------------0aB1cD2eF3gH4iJ5kL6mN7oP--
""")

write("qp-latin1-names.eml", """\
From: =?ISO-8859-1?Q?Andr=E9_Lef=E8vre?= <andre@example.fr>
To: aluminum.license@aim.test
Subject: =?ISO-8859-1?Q?Question_sur_la_d=E9claration?=
Date: Fri, 6 Mar 2026 11:00:00 +0100
Message-ID: <20260306110000.A1@example.fr>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="=_latin1"

--=_latin1
Content-Type: text/plain; charset=ISO-8859-1
Content-Transfer-Encoding: quoted-printable

""" + qp("Bonjour,\n\nPouvez-vous confirmer la r\u00e8gle des 60 jours ? Voir le r\u00e9sum\u00e9 joint.\n\nAndr\u00e9\n", "iso-8859-1") + """
--=_latin1
Content-Type: text/plain; charset=ISO-8859-1;
 name="=?ISO-8859-1?Q?R=E9sum=E9_d=E9claration.txt?="
Content-Disposition: attachment;
 filename="=?ISO-8859-1?Q?R=E9sum=E9_d=E9claration.txt?="
Content-Transfer-Encoding: quoted-printable

""" + qp("R\u00e9sum\u00e9\n", "iso-8859-1") + """
--=_latin1
Content-Type: application/octet-stream
Content-Disposition: attachment; filename*=iso-8859-1'fr'Facture%20n%B012.pdf
Content-Transfer-Encoding: base64

""" + b64(b"%PDF-1.4\n% not a form, only a scanned invoice\n%%EOF\n") + """
--=_latin1--
""")

write("utf8-names.eml", """\
From: =?UTF-8?B?5bGx55Sw5aSq6YOO?= <yamada@steel.example.jp>
To: steel.license@aim.test
Subject: =?UTF-8?B?6Ly45YWl6Kix5Y+v44Gr44Gk44GE44Gm?=
Date: Sat, 7 Mar 2026 09:30:00 +0900
Message-ID: <5f3e2d1c@steel.example.jp>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="utf8names"

--utf8names
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit

""" + "\u3088\u308d\u3057\u304f\u304a\u9858\u3044\u3057\u307e\u3059\u3002\n".encode("utf-8").decode("latin-1") + """
--utf8names
Content-Type: image/png; name="=?UTF-8?B?6KOc6Laz6LOH5paZLnBuZw==?="
Content-Disposition: attachment; filename="=?UTF-8?B?6KOc6Laz6LOH5paZLnBuZw==?="
Content-Transfer-Encoding: base64

iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==
--utf8names
Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
Content-Disposition: attachment; filename*=UTF-8''%E2%82%AC%20Preise%20%C3%9Cbersicht.xlsx
Content-Transfer-Encoding: base64

UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==
--utf8names--
""")

inner = """\
From: Carlos Ruiz <carlos@aceros.example.mx>
To: Dev Patel <dev.patel.imports@gmail.com>
Subject: Form for the March shipment
Date: Sun, 8 Mar 2026 07:00:00 -0600
Message-ID: <inner-1@aceros.example.mx>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="inner-b"

--inner-b
Content-Type: text/plain; charset=UTF-8

Here is the form for the March shipment.

--inner-b
Content-Type: application/xml; name="march.xml"
Content-Disposition: attachment; filename="march.xml"
Content-Transfer-Encoding: base64

""" + b64(XML) + """
--inner-b--
"""
middle = """\
From: Dev Patel <dev.patel.imports@gmail.com>
To: Ana Ortega <ana.ortega@importer.example>
Subject: Fwd: Form for the March shipment
Date: Sun, 8 Mar 2026 09:00:00 -0800
Message-ID: <middle-1@mail.gmail.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="middle-b"

--middle-b
Content-Type: text/plain; charset=UTF-8

See below.

--middle-b
Content-Type: message/rfc822
Content-Disposition: attachment; filename="Form for the March shipment.eml"

""" + inner + """
--middle-b--
"""
write("nested-forwards.eml", """\
From: "Ortega, Ana" <ana.ortega@importer.example>
To: aluminum.license@aim.test
Subject: Fwd: Fwd: Form for the March shipment
Date: Mon, 9 Mar 2026 08:00:00 -0500
Message-ID: <outer-1@importer.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer-b"

--outer-b
Content-Type: text/plain; charset=UTF-8

Forwarding the form our supplier sent.

--outer-b
Content-Type: message/rfc822

""" + middle + """
--outer-b--
""")

write("html-only.eml", """\
From: Support Desk <desk@broker.example>
To: aluminum.license@aim.test
Subject: Question about HTS 7601.10
Date: Tue, 10 Mar 2026 12:00:00 +0000
Message-ID: <html-only-1@broker.example>
MIME-Version: 1.0
Content-Type: text/html; charset=windows-1252
Content-Transfer-Encoding: quoted-printable

<html><head><title>ignored title</title><style>p {color: red}</style>
<script>alert("no")</script></head><body>
<p>Hello &amp; good morning,</p><p>Is HTS&nbsp;7601.10 =96 unwrought aluminum =
=96 covered?<br>Thanks,<br>Mia</p>
<blockquote><p>Earlier message</p></blockquote>
</body></html>
""")

write("auto-reply-ooo.eml", """\
From: Dev Patel <dev.patel.imports@gmail.com>
To: noreply@aim.test
Subject: Out of Office: Your license AL-2026-000123
Date: Wed, 11 Mar 2026 06:00:00 -0800
Message-ID: <ooo-1@mail.gmail.com>
Auto-Submitted: auto-replied
X-Autoreply: yes
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

I am out of the office until March 20.
""")

write("auto-reply-precedence.eml", """\
From: Helpdesk <helpdesk@importer.example>
To: aluminum.license@aim.test
Subject: [Ticket #4411] We received your message
Date: Wed, 11 Mar 2026 07:00:00 -0500
Message-ID: <ticket-4411@importer.example>
Precedence: bulk
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

Thank you, a ticket was opened.
""")

write("dsn-postfix.eml", """\
Return-Path: <>
Received: by mail.aim.test (Postfix) id 4B1C2D3E4F; Thu, 12 Mar 2026 10:00:05 +0000 (UTC)
Date: Thu, 12 Mar 2026 10:00:05 +0000 (UTC)
From: MAILER-DAEMON@mail.aim.test (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: noreply@aim.test
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="4B1C2D3E4F.1773309605/mail.aim.test"
Message-Id: <20260312100005.4B1C2D3E4F@mail.aim.test>

This is a MIME-encapsulated message.

--4B1C2D3E4F.1773309605/mail.aim.test
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mail.aim.test.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<nobody@importer.example>: host mx.importer.example said: 550 5.1.1 User unknown

--4B1C2D3E4F.1773309605/mail.aim.test
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.aim.test
Arrival-Date: Thu, 12 Mar 2026 10:00:01 +0000 (UTC)

Final-Recipient: rfc822; nobody@importer.example
Action: failed
Status: 5.1.1

--4B1C2D3E4F.1773309605/mail.aim.test
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

From: noreply@aim.test
To: nobody@importer.example
Subject: Your license AL-2026-000123
X-AIM-Loop: aim.test

--4B1C2D3E4F.1773309605/mail.aim.test--
""")

write("own-loop.eml", """\
From: Aluminum Licensing <aluminum.license@aim.test>
To: aluminum.license@aim.test
Subject: Your license AL-2026-000124
Date: Fri, 13 Mar 2026 10:00:00 +0000
Message-ID: <9f8e7d6c5b4a39281706f5e4.confirm@aim.test>
X-AIM-Loop: aim.test
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

Your license was issued.
""")

write("reply-no-token.eml", """\
From: Dev Patel <dev.patel.imports@gmail.com>
To: aluminum.license+aaaabbbbccccddddeeeeffffgggghhhhiiiijjjj@aim.test
Subject: Re: Action required: license AL-2026-000125
Date: Sat, 14 Mar 2026 10:00:00 -0800
Message-ID: <reply-1@mail.gmail.com>
In-Reply-To: <0a1b2c3d4e5f60718293a4b5.action@aim.test>
References: <0a1b2c3d4e5f60718293a4b5.action@aim.test>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

CONFIRM

On Fri, Mar 13, 2026 at 10:00 AM Aluminum Licensing <aluminum.license@aim.test>
wrote:
> Please confirm the flagged fields.
""")
print("wrote", len(os.listdir(top)) - 1, "files", file=sys.stderr)
