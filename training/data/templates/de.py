"""Deutsche Vorlagen (nativ geschrieben)."""
# Natural-language template data: one sentence per line reads better than split strings.
# ruff: noqa: E501

__all__ = ["FRAME", "PROSE"]

PROSE: dict[str, list[str]] = {
    "contact": [
        "Bitte {ändere|aktualisiere} die Lieferadresse von {PERSON} auf {ADDRESS}.",
        "Frau {LAST} hat angerufen ({PHONE}) und bittet um Rückruf{ bis 17 Uhr| morgen früh|}.",
        "Herr {LAST} ist unter {EMAIL} erreichbar, {Telefon|Tel.|mobil} {PHONE}.",
        "{PERSON} ist umgezogen, neue Anschrift: {ADDRESS}.",
        "Kannst du eine {höfliche|kurze} Antwort an {PERSON} ({EMAIL}) formulieren?",
        "Der Bewerber {PERSON} wohnt in der {ADDRESS} und ist ab {date} verfügbar.",
        "Schick den Vertrag bitte an {EMAIL}, Ansprechpartnerin ist {PERSON}.",
        "Patientin {PERSON}, geb. {date}, {Tel.|Telefon} {PHONE}, hat den Termin abgesagt.",
        "{FIRST} hat eine neue Handynummer: {PHONE}",
        "Mein Nachbar {PERSON} aus der {ADDRESS} parkt ständig vor meiner Einfahrt, was kann ich tun?",
    ],
    "hr": [
        "{PERSON} bekommt ab {date} ein Jahresgehalt von {MONEY}{, bitte vertraulich behandeln|}.",
        "Die Gehaltserhöhung für {PERSON} beträgt {PCT}, der Bonus {MONEY}.",
        "Kündigung {PERSON}: Abfindung {MONEY}, letzter Arbeitstag {date}.",
        "{FIRST} ist bis {date} krankgeschrieben, bitte nicht im Team erwähnen.",
        "Das Budget für Neueinstellungen liegt {nächstes Jahr|2027} bei {MONEY}.",
        "Für die Stelle bieten wir {MONEY} brutto plus {PCT} variabel.",
        "Formuliere ein Arbeitszeugnis für {PERSON}, Eintritt {date}.",
    ],
    "ids": [
        "Meine Steuer-ID ist {STEUER_ID}, brauchst du sonst noch was?",
        "Steuerliche Identifikationsnummer von {PERSON}: {STEUER_ID}",
        "Personalausweisnummer {PERSO}, gültig bis {date}.",
        "Die Sozialversicherungsnummer von {PERSON} lautet {SVNR}.",
        "{Bitte trag|Trag bitte} meine SV-Nummer {SVNR} ins Formular ein.",
        "Ausweis-Nr. {PERSO} wurde bei der Kontrolle nicht akzeptiert, warum?",
        "Reisepass {PASSPORT}, ausgestellt in {city}.",
        "Für die Lohnabrechnung: {PERSON}, Steuer-ID {STEUER_ID}, SV-Nr. {SVNR}.",
    ],
    "payment": [
        "Bitte überweise die Kaution auf {IBAN}{ (Kontoinhaber {PERSON})|}.",
        "Meine neue Bankverbindung: IBAN {IBAN}, BIC {bic}.",
        "Die Kreditkarte {CARD} wurde abgelehnt, Ablauf {n}/{n}.",
        "Lastschrift von Konto {ACCOUNT} ist zurückgekommen.",
        "Kannst du prüfen, ob die IBAN {IBAN} stimmt?",
        "Zahlung bitte mit Karte {CARD} abbuchen.",
        "Der Lieferant hat seine Kontoverbindung auf {IBAN} geändert, ist das echt?",
    ],
    "secret": [
        "Das Passwort für den {Testserver|Produktionsserver|Admin-Account} ist {PASSWORD}.",
        "Hier mein API-Key: {TOKEN}, trotzdem kommt 401 zurück.",
        "Der Connection-String lautet {DB_URI}, die Verbindung bricht aber ständig ab.",
        "Neuer Token für die CI: {TOKEN}",
        "Zugangsdaten: Benutzer {admin|deploy|root}, Passwort {PASSWORD}",
        "Warum schlägt das fehl? AWS_SECRET_ACCESS_KEY={AWSSECRET}",
        "Ich hab den Schlüssel rotiert, der neue ist {SECRET}.",
        "Das WLAN-Passwort im Büro ist {PASSWORD}.",
    ],
    "infra": [
        "Der Build-Server {HOST} ist {schon wieder down|nicht erreichbar|voll}.",
        "Ich komme über VPN nicht auf {URL}, geht das bei euch?",
        "Die Datenbank liegt jetzt auf {HOSTPORT}, bitte Konfiguration anpassen.",
        "SSH auf {IP} hängt beim Login.",
        "Das Netz {CIDR} ist für das Labor reserviert.",
        "Die Doku steht im Wiki unter {URL}.",
        "Seit dem Deployment liefert {HOST} nur noch 502.",
        "Firewall blockiert {IP} -> {HOSTPORT}, wer kann das freischalten?",
    ],
    "project": [
        "{CODENAME} verschiebt sich auf Q{q}, weil der Zulieferer die Qualifikation nicht bestanden hat.",
        "Das Budget für {CODENAME} beträgt {MONEY}.",
        "Bitte {CODENAME} nicht in der öffentlichen Präsentation erwähnen.",
        "Der Prototyp von {CODENAME} erreicht im Labor {PCT} Wirkungsgrad.",
        "Fasse den Statusbericht zu {CODENAME} für die Geschäftsführung zusammen.",
        "Launch von {CODENAME} ist für den {date} geplant, bis dahin streng vertraulich.",
        "Wer übernimmt {CODENAME} nach der Umstrukturierung?",
    ],
    "deal": [
        "Die Marge bei {CUSTOMER} liegt intern bei {PCT}, bitte nicht weitergeben.",
        "{CUSTOMER} droht mit Kündigung, wenn wir den Preis nicht um {PCT} senken.",
        "Der Auftrag von {CUSTOMER} hat ein Volumen von {MONEY}.",
        "{CUSTOMER} meldet seit Wochen Ausfälle und fordert Gutschriften.",
        "Umsatzprognose Q{q}: {MONEY}, EBIT-Marge {PCT}, noch nicht veröffentlicht.",
        "Schreib eine Mail an {CUSTOMER} wegen des Rabatts von {PCT}.",
        "Wir schließen mit {CUSTOMER} für {MONEY} über drei Jahre ab.",
        "Das Angebot für die Übernahme liegt bei {MONEY}.",
    ],
    "neg_tech": [
        "Trag deinen Key in die .env ein, z. B. API_KEY={placeholder}.",
        "Die Request-ID war {uuid}, Commit {sha}.",
        "Update auf {version}, siehe {public_url}.",
        "Ersetze {placeholder} durch dein eigenes Token.",
        "Das Standardpasswort {placeholder} muss beim ersten Login geändert werden.",
        "Prüfsumme: {sha256}",
        "Die Anleitung gibt es unter {public_url}.",
        "Für die Demo bitte {example_email} verwenden.",
    ],
    "neg_news": [
        "{public_figure} kündigte am {date} neue Zölle an.",
        "{public_company} meldet einen Quartalsumsatz von {public_money}.",
        "Laut Pressemitteilung investiert {public_company} {public_money} in {city}.",
        "Die Aktie von {public_company} fiel nach den Zahlen um {n} %.",
        "Hast du die Rede von {public_figure} gesehen?",
        "Das neue Modell kostet laut Preisliste {public_money}.",
    ],
    "neg_word": [
        "Am See haben wir heute einen {bird} gesehen.",
        "Der {animal} im Tierpark hat die ganze Zeit geschlafen.",
        "Im Garten wollen wir eine {tree} pflanzen.",
        "Heute Nacht ist der {sky} gut zu sehen.",
        "Der {mineral} stammt aus einem Steinbruch bei {city}.",
        "Die Kinder haben einen {animal} gemalt.",
        "Gibt es eine gute Doku über den {bird}?",
    ],
    "neg_misc": [
        "Bestellung {order} wurde am {date} verschickt.",
        "Ticket {ticket} ist erledigt.",
        "Das Meeting ist auf {time} Uhr verschoben.",
        "Rechnung {order} ist in {n} Tagen fällig.",
        "Danke für die schnelle Antwort!",
        "Kannst du den Text etwas freundlicher formulieren?",
    ],
}

FRAME: dict[str, list[str]] = {
    "post_open": [
        "Hat noch jemand das Problem?",
        "Kurze Frage an die Runde:",
        "Brauche Rat.",
        "[Hilfe] komisches Verhalten",
    ],
    "post_close": ["Edit: gelöst, danke!", "Bin für jeden Tipp dankbar.", "Meinungen?", "#Homeoffice #IT"],
    "chat_open": [
        "Kannst du mir helfen?",
        "Bitte korrigiere das:",
        "Fasse folgendes zusammen:",
        "Übersetze ins Englische:",
        "Ich komme nicht weiter:",
        "Was ist hier falsch?",
        "hallo",
    ],
    "chat_ask": [
        "Was soll ich tun?",
        "Hast du eine Idee?",
        "Mach es kürzer.",
        "Danke!",
        "Kannst du das beheben?",
    ],
    "greeting": [
        "Hallo {FIRST},",
        "Sehr geehrte Frau {LAST},",
        "Sehr geehrter Herr {LAST},",
        "Hi {FIRST},",
        "Liebe Kolleginnen und Kollegen,",
        "Moin,",
        "Guten Tag,",
    ],
    "signoff": ["Viele Grüße", "Beste Grüße", "Mit freundlichen Grüßen", "VG", "Danke und Gruß"],
    "subject": ["AW: Rückfrage", "Dringend", "WG: Vertrag", "Zahlen Q{q}", "Zugang", "Protokoll {date}"],
    "title": [
        "Fehler: Verbindung bricht ab",
        "Build schlägt nach Update auf {version} fehl",
        "Absturz beim Start",
        "Frage zur Konfiguration",
    ],
    "form": [
        "Name",
        "E-Mail",
        "Telefon",
        "Anschrift",
        "Geburtsdatum",
        "Steuer-ID",
        "IBAN",
        "Nachricht",
        "Firma",
    ],
}

_MORE: dict[str, list[str]] = {
    "contact": [
        'Formuliere das freundlicher: "Hallo {FIRST}, die Unterlagen fehlen immer noch, ruf mich an unter {PHONE}."',
        "Bitte das Paket an {PERSON}, {ADDRESS} schicken.",
        "Unser Kunde {PERSON} ({EMAIL}) kommt am {date} ins Werk.",
        "Kannst du mir die Nummer von {FIRST} geben? Ich hab nur {PHONE}, da geht keiner ran.",
        "Neue Mieterin: {PERSON}, Einzug in die {ADDRESS} zum 1.",
        "Trag {EMAIL} bitte in den Verteiler ein.",
        "Ich habe eine Beschwerde von {EMAIL} bekommen, wie antworte ich am besten?",
        "Notfallkontakt: {PERSON}, {PHONE}",
        "Hi {FIRST}, kurze Frage zu deiner Rechnung.",
    ],
    "hr": [
        "Rechne bitte nach: {PERSON} verdient {SALARY} und bekommt {PCT} mehr, was ist das neue Gehalt?",
        "Entwurf Angebotsschreiben: {PERSON}, Fixum {SALARY}, Start {date}.",
        "{PERSON} ist seit {date} in Elternzeit, Vertretung klären.",
        "Absage an {PERSON} <{EMAIL}> für die Stelle als Werkstudent formulieren.",
        "Die Abfindung für {PERSON} beträgt {SALARY}, Aufhebungsvertrag kommt morgen.",
        "Gehaltsband Senior Engineer: {SALARY} bis {SALARY}.",
    ],
    "ids": [
        "Hilf mir beim Formular: Name {PERSON}, Steuer-ID {STEUER_ID}, Anschrift {ADDRESS}",
        "Ist {STEUER_ID} eine gültige Steuer-ID?",
        "Meine Rentenversicherungsnummer ist {SVNR}, stimmt das Format?",
        "Personalausweis von {PERSON}: {PERSO}",
        "Für den Mietvertrag brauche ich die Ausweisnummer {PERSO} und die Steuer-ID {STEUER_ID}.",
    ],
    "payment": [
        "Erstatte bitte Bestellung {order} auf die Karte {CARD}.",
        "Warum wird die Karte {CARD} abgelehnt? Laut Kunde ist sie gültig.",
        "Neue Bankverbindung für die Gehaltszahlung: {IBAN}",
        "Bitte {public_money} auf {IBAN} überweisen, Verwendungszweck {order}.",
        "Hab mit {CARD} bezahlt und wurde doppelt belastet.",
        "Tabelle: {PERSON} | {IBAN} | {SALARY}",
    ],
    "secret": [
        "Hier meine .env, warum crasht die App?\nDATABASE_URL={DB_URI}\nSECRET_KEY={SECRET}",
        "Ich habe aus Versehen {TOKEN} in ein öffentliches Repo gepusht, wie widerrufe ich das?",
        "Das Jenkins-Passwort ist {PASSWORD}, falls du dich einloggen musst.",
        "Probier mal mit dem Key: {TOKEN}",
        "Gast-WLAN Passwort: {PASSWORD}",
        "Kannst du dieses JWT dekodieren? {JWT}",
        "Unser OpenAI-Key {TOKEN} meldet quota exceeded.",
    ],
    "infra": [
        "Warum löst mein Laptop {HOST} nicht auf?",
        "Kibana unter {URL} zeigt seit {date} nichts mehr an.",
        "Schreib mir eine nginx-Config, die /api an {HOSTPORT} weiterleitet.",
        "Bitte {CIDR} in der Security Group freigeben.",
        "Kann jemand {HOST} neu starten? Der swappt seit heute früh.",
        "Der Drucker auf {IP} druckt wieder Hieroglyphen.",
    ],
    "project": [
        "Schreib einen LinkedIn-Post, der {CODENAME} andeutet, ohne den Namen zu nennen.",
        "{CODENAME} verbrennt {MONEY} im Monat, das Geld reicht bis Q{q}.",
        "Die {CODENAME}-Demo vor dem Vorstand ging schief, der Akku wurde zu heiß.",
        "Risiken für {CODENAME}: Lieferverzug, {PCT} Kostenüberschreitung.",
        "{CODENAME} bitte aus der Pressemitteilung raushalten, steht noch unter NDA.",
        "Übersetze ins Englische: Der Prototyp von {CODENAME} hat die EMV-Prüfung bestanden.",
    ],
    "deal": [
        "Schreib {CUSTOMER} ein Follow-up: {PCT} Rabatt bei drei Jahren Laufzeit.",
        "{CUSTOMER} will {n} Lizenzen für {MONEY} insgesamt, liegt das unter unserer Preisuntergrenze?",
        "Fasse die Eskalation bei {CUSTOMER} zusammen: {n} Ausfälle, sie fordern {MONEY} Gutschrift.",
        "{CUSTOMER} macht {PCT} unseres Umsatzes aus und ist unzufrieden.",
        "Folie: Auftragseingang Q{q} {MONEY}, Churn {PCT}, größter Deal {CUSTOMER}.",
        "Interne Planung: {MONEY} Umsatz im nächsten Jahr, bitte nicht extern teilen.",
    ],
    "neg_tech": [
        "Starte {shorthost} und {shorthost} neu und prüf dann die Queue.",
        "Mitarbeiter {empid} braucht einen neuen Ausweis.",
        "Commit {sha} hat den Build kaputt gemacht, bitte auf {sha} zurücksetzen.",
        "Die UUID {uuid} fehlt in der Tabelle users.",
        "In der AWS-Doku steht AKIAIOSFODNN7EXAMPLE als Beispiel-Key.",
        "Python {version} stürzt beim Import ab, eine Idee?",
    ],
    "neg_news": [
        "Fasse den Artikel zusammen: {public_figure} besuchte {city} und lobte das neue Werk von {public_company}.",
        "{public_company} meldet {public_money} Jahresumsatz und übertrifft die Erwartungen.",
        "Das Abo kostet {price}, lohnt sich das?",
        "{public_company} streicht laut Reuters {num} Stellen.",
    ],
    "neg_word": [
        "Was fressen {animal}e eigentlich?",
        "Tipps für Fotos von einem {bird} im Flug?",
        'Das Hotel hieß "Zum {Bird}", super Frühstück.',
        "Ich male einen {bird} auf einem Ast.",
    ],
    "neg_misc": [
        "Fasse das Meeting zusammen: Agenda und nächste Schritte sind klar.",
        "Übersetze ins Französische: Das Büro ist am {date} geschlossen.",
        "Kannst du mein Anschreiben verbessern?",
        "Meine Bestellung {order} ist nicht angekommen, was schreibe ich dem Support?",
    ],
}
for _theme, _tpls in _MORE.items():
    PROSE.setdefault(_theme, []).extend(_tpls)

_PUBLIC: dict[str, list[str]] = {
    "neg_news": [
        "{customer} meldet im Geschäftsbericht einen Umsatz von {public_money}, ein Plus von {n} %.",
        "Pressemitteilung: {customer} eröffnet ein Werk in {city} mit {num} Arbeitsplätzen.",
        "Laut Handelsblatt ernennt {customer} einen neuen Finanzvorstand.",
        "{customer} hat heute seinen Nachhaltigkeitsbericht veröffentlicht.",
        "Hab gelesen, dass {customer} in {city} einstellt, kennt jemand die Firma?",
        "Der Listenpreis von {customer} für das Basispaket liegt bei {price}.",
    ],
}
for _theme, _tpls in _PUBLIC.items():
    PROSE.setdefault(_theme, []).extend(_tpls)

_MORE2: dict[str, list[str]] = {
    "contact": [
        "Guten Tag, mein Name ist {PERSON}, Sie erreichen mich unter {PHONE}.",
        "Frau Dr. {LAST} bittet um Zusendung der Unterlagen an {ADDRESS}.",
        "Herr {LAST} ({EMAIL}) hat den Termin am {date} abgesagt.",
        "Kontaktdaten neuer Lieferant: {PERSON}, {PHONE}, {EMAIL}",
        "Der Kurier hat {PERSON} in der {ADDRESS} nicht angetroffen.",
    ],
    "hr": [
        "Rechne das Netto für {SALARY} brutto im Jahr aus, Steuerklasse 1, für {FIRST}.",
        "Mitarbeitergespräch {PERSON}: Ziele verfehlt, Bonus auf {SALARY} gekürzt.",
        "Auf der Liste für den Stellenabbau stehen {PERSON} und {PERSON}.",
    ],
    "ids": [
        "Steuer-ID {STEUER_ID} wird im ELSTER-Formular abgelehnt, woran liegt das?",
        "Für die Anmeldung von {PERSON} brauche ich die SV-Nummer: {SVNR}",
        "Ausweis {PERSO} von {PERSON} läuft am {date} ab.",
    ],
    "payment": [
        "Bitte Miete ab sofort auf {IBAN} (Kontoinhaber {PERSON}).",
        "Kartennummer {CARD}, gültig bis {n}/{n}, stimmt das so?",
        "Rückerstattung bitte auf mein Konto {IBAN}.",
    ],
    "secret": [
        "Zugang zur Testdatenbank: {DB_URI}",
        "Der GitLab-Token {TOKEN} geht seit heute früh nicht mehr.",
        "pw für den Admin-Account: {PASSWORD} (bitte ändern)",
        "Privater Schlüssel vom Server:\n{PEM}",
    ],
    "infra": [
        "Das NAS {HOST} ist voll, wer kann aufräumen?",
        "Das Intranet {URL} ist seit der Migration extrem langsam.",
        "IP-Konflikt: {IP} ist doppelt vergeben.",
        "Bitte {HOSTPORT} im Proxy freischalten.",
    ],
    "project": [
        "Schreib eine interne Mitteilung zum Stand von {CODENAME}, nur für den Lenkungskreis.",
        "{CODENAME}: Der Zellenlieferant ist {n} Wochen im Verzug.",
        "Auf der Messe bitte nichts zu {CODENAME} sagen, NDA.",
        "Wer leitet {CODENAME}, seit {FIRST} weg ist?",
    ],
    "deal": [
        "{CUSTOMER} verhandelt {PCT} Nachlass auf die Verlängerung, machen wir das?",
        "Vertrag mit {CUSTOMER} unterschrieben: {MONEY} über {n} Jahre, Bekanntgabe erst am {date}.",
        "Störung bei {CUSTOMER}: {n} Stunden Ausfall, sie fordern {MONEY} Vertragsstrafe.",
        "Bereite die Antwort auf die Ausschreibung von {CUSTOMER} vor, unsere Untergrenze ist {MONEY}.",
    ],
    "neg_tech": [
        "Die Handelsregisternummer HRB {num} ist öffentlich, steht im Impressum.",
        "Version {version} ist raus, Changelog unter {public_url}.",
        "Ersetze <password> durch dein Passwort, bevor du das Skript startest.",
        "Beispielkonfiguration: DB_PASSWORD={placeholder}",
    ],
    "neg_word": [
        "Die {tree} vor dem Haus verliert schon die Blätter.",
        "Ein {bird} hat auf dem Balkon genistet.",
        "Wir haben mit dem Teleskop den {sky} beobachtet.",
    ],
    "neg_misc": [
        "Was ist der Unterschied zwischen „seid“ und „seit“?",
        "Das Paket {order} liegt seit {date} in der Packstation.",
    ],
}
for _theme, _tpls in _MORE2.items():
    PROSE.setdefault(_theme, []).extend(_tpls)

_CONTRAST: dict[str, list[str]] = {
    "infra": [
        "{public_url} lädt problemlos, aber {URL} hängt von zu Hause aus.",
        "Öffentliche Statusseite: {public_url}, das echte Dashboard: {URL}.",
    ],
    "project": [
        "Heute früh einen {bird} gesehen. Egal, das Review zu {CODENAME} ist auf den {date} verschoben.",
        "Unsere Website {public_url} darf {CODENAME} vor dem Launch nicht erwähnen.",
    ],
}
for _theme, _tpls in _CONTRAST.items():
    PROSE.setdefault(_theme, []).extend(_tpls)

_IDS: dict[str, list[str]] = {
    "ids": [
        "Führerscheinnummer {DRIVER}, ausgestellt in {city}.",
        "Der Autovermieter braucht die Führerscheinnummer: {DRIVER}",
    ],
}
for _theme, _tpls in _IDS.items():
    PROSE.setdefault(_theme, []).extend(_tpls)

PROSE["neg_misc"].extend(
    [
        "Die IMEI meines Handys ist {imei}, es ist gesperrt.",
        "Der Barcode {ean} zeigt das falsche Produkt.",
        "Sendungsnummer {tracking}, seit einer Woche keine Bewegung.",
        "Buch: ISBN {isbn}",
    ]
)

PROSE["payment"].extend(
    [
        "Kontoverbindung für die Erstattung: {IBAN}, Inhaber {PERSON}.",
        "Die Firmenkreditkarte {CARD} wurde gesperrt.",
        "Bitte die Gehaltszahlung für {FIRST} auf {IBAN} umstellen.",
        "Überweisung an {IBAN} ist zurückgekommen, IBAN ungültig?",
    ]
)

# Öffentliche Software, Veranstaltungen, die eigene Firma des Absenders und Platzhalter: Namen und IDs,
# die wie Codenamen, Kunden oder Geheimnisse aussehen, aber keine sind.
PROSE["neg_public"] = [
    "Wir stellen von {software} auf {software} um, worauf muss ich beim Update auf {version} achten?",
    "Wie betreibe ich {software} hinter {software} mit TLS?",
    "Projektplan für das Praktikum: erst {software} lernen, dann ein kleines Tool mit {software} bauen.",
    "Ist {software} noch gepflegt? Die letzte Version, die ich finde, ist {version}.",
    "Anleitung: eine REST-API mit {software} und {software} aufsetzen, Schritt für Schritt.",
    "Wer fährt dieses Jahr zur {event}? Der {software}-Workshop klingt gut.",
    "Der Webhook hat {objid} geliefert, wie prüfe ich die Signatur?",
    "Pod {pod} startet nach dem {software}-Update ständig neu (OOMKilled).",
    "Im Beispiel steht als Passwort nur {pw_word}, das musst du durch dein eigenes ersetzen.",
    "Viele Grüße\nIhr Team der {customer}\n{public_url}",
    "Impressum: {customer}, Registergericht {city}. © {year} alle Rechte vorbehalten.",
    "Pressekontakt der {customer}: Anfragen bitte über {public_url}.",
    "Warum speichert {software} die Spalte als TEXT und nicht als VARCHAR?",
    "Vergleiche {software}, {software} und {software} für ein kleines Team als Tabelle.",
    "Der Job {slugid} ist in {software} mit Exit-Code {n} abgebrochen, Log hängt an.",
    "Thread-ID ist {slugid}, kannst du sie im Ticket verlinken?",
    "Sie hat an {institution} promoviert und pflegt jetzt {software}.",
    "Die Studie von {institution} vergleicht {software} und {software}.",
]
