Attribute VB_Name = "KwlControle"
' KwlControle - controle van een werkmap van het Kwaliteitslabel Sociaal Werk
'
' Deze module zit in de werkmappen die kwl_office met --macros uitgeeft (zelfevaluatie,
' peer review en audit, ook de gedeelde werkmap van een team). De knoppen op het blad Start
' roepen Controleer en VolgendeOpen aan; in een gedeelde werkmap staan op het tabblad van elke
' beoordelaar de knoppen ControleerDitBlad en VolgendeOpen.
'
' Controleer kijkt, met dezelfde regels als het inlezen door het secretariaat:
'   - of bij elke norm een oordeel staat;
'   - of elk oordeel in de lijst voorkomt (de code of de score mag ook);
'   - of Accent ja of nee is (alleen in de zelfevaluatie);
'   - of geen tekst langer is dan toegestaan (ook op het tabblad Team);
'   - of een norm niet twee keer voorkomt (in een gedeelde werkmap: op hetzelfde tabblad).
' Wat niet klopt, krijgt een lichtoranje kleur en staat op het blad Controle, met een link
' naar de cel; in een gedeelde werkmap met de voortgang van elke beoordelaar erboven.
' ControleerDitBlad doet hetzelfde voor alleen het eigen tabblad: wie samen in een werkmap
' werkt, kleurt zo geen cellen van een ander. VolgendeOpen springt naar de eerstvolgende
' norm zonder geldig oordeel; op het tabblad van een beoordelaar alleen op dat tabblad.
'
' Een tabblad van een gedeelde werkmap is van wie in de regel "Ingevuld door" staat, niet van
' wie de naam van het tabblad noemt (net als bij het inlezen).
'
' De module leest en schrijft alleen in deze werkmap: geen netwerk, geen andere bestanden.
' De bron staat in macros/KwlControle.bas van kwl_office; wijzig hem daar, niet hier.
Option Explicit

' Koppen van de normbladen (gelijk aan kwl_office/excel/layout.py; een test bewaakt dat).
Private Const KOP_NORM As String = "Norm"
Private Const KOP_OORDEEL As String = "Oordeel"
Private Const KOP_ACCENT As String = "Accent"
' Het label van de regel boven de koppen die zegt van wie een tabblad is (gedeelde werkmap).
Private Const LABEL_EIGENAAR As String = "Ingevuld door"
' Bladen die geen normen bevatten.
Private Const BLAD_START As String = "Start"
Private Const BLAD_OVERZICHT As String = "Overzicht"
Private Const BLAD_CONTROLE As String = "Controle"
' Namen in de werkmap met de toegestane oordelen en de maximale tekstlengte.
Private Const NAAM_OORDELEN As String = "kwl_oordelen"
Private Const NAAM_MAX_TEKST As String = "kwl_max_tekstlengte"
' In de eerste zoveel regels van een blad staat de kopregel.
Private Const KOPREGELS_ZOEKEN As Long = 30
' Kleuren als getal (blauw * 65536 + groen * 256 + rood): lichtoranje voor wat te verbeteren
' is; wit voor invoercellen en lichtgrijsblauw voor vaste cellen, zoals kwl_office ze maakt.
Private Const KLEUR_MARKERING As Long = 10284031
Private Const KLEUR_INVOER As Long = 16777215
Private Const KLEUR_VAST As Long = 16579063

' Telling van de laatste controle.
Private mNormen As Long
Private mIngevuld As Long
Private mPunten As Long
Private mRegel As Long
' Voortgang per beoordelaar van een gedeelde werkmap: een regel per tabblad.
Private mPerBeoordelaar As Collection

' Controleert de hele werkmap, kleurt wat te verbeteren is en zet de lijst op het blad
' Controle. Meldt daarna hoeveel normen zijn ingevuld (per beoordelaar in een gedeelde werkmap).
Public Sub Controleer()
    Controleren Nothing
End Sub

' Controleert alleen het tabblad van de beoordelaar dat open staat (gedeelde werkmap); op een
' ander blad de hele werkmap.
Public Sub ControleerDitBlad()
    If IsBeoordelaarsblad(ActiveSheet) Then
        Controleren ActiveSheet
    Else
        Controleren Nothing
    End If
End Sub

' Springt naar de eerstvolgende norm (na de huidige cel) zonder geldig oordeel; na de
' laatste begint het zoeken weer vooraan. Op het tabblad van een beoordelaar van een gedeelde
' werkmap blijft het zoeken op dat tabblad.
Public Sub VolgendeOpen()
    Dim ws As Worksheet
    Dim toegestaan As Collection
    Dim kop As Long
    Dim kolNorm As Long
    Dim kolOordeel As Long
    Dim r As Long
    Dim laatste As Long
    Dim naHier As Boolean
    Dim huidigBlad As Long
    Dim huidigeRegel As Long
    Dim eersteBlad As Worksheet
    Dim eersteRegel As Long
    Dim eersteKolom As Long
    Dim alleen As Worksheet

    Set toegestaan = ToegestaneOordelen()
    huidigBlad = ActiveSheet.Index
    huidigeRegel = ActiveCell.Row
    If IsBeoordelaarsblad(ActiveSheet) Then Set alleen = ActiveSheet
    For Each ws In ThisWorkbook.Worksheets
        kop = KopRegel(ws)
        If kop > 0 And ws.Visible = xlSheetVisible And (alleen Is Nothing Or ws Is alleen) Then
            kolNorm = KolomVan(ws, kop, KOP_NORM)
            kolOordeel = KolomVan(ws, kop, KOP_OORDEEL)
            laatste = ws.Cells(ws.Rows.Count, kolNorm).End(xlUp).Row
            For r = kop + 1 To laatste
                If Len(Tekst(ws.Cells(r, kolNorm))) > 0 Then
                    If Not GeldigOordeel(Tekst(ws.Cells(r, kolOordeel)), toegestaan) Then
                        naHier = ws.Index > huidigBlad Or (ws.Index = huidigBlad And r > huidigeRegel)
                        If naHier Then
                            GaNaar ws, r, kolOordeel
                            Exit Sub
                        End If
                        If eersteRegel = 0 Then
                            Set eersteBlad = ws
                            eersteRegel = r
                            eersteKolom = kolOordeel
                        End If
                    End If
                End If
            Next r
        End If
    Next ws
    If eersteRegel > 0 Then
        GaNaar eersteBlad, eersteRegel, eersteKolom
    ElseIf alleen Is Nothing Then
        MsgBox "Alle normen hebben een geldig oordeel.", vbInformation, "Volgende open norm"
    Else
        MsgBox "Alle normen op het tabblad van " & Eigenaar(alleen) & _
            " hebben een geldig oordeel.", vbInformation, "Volgende open norm"
    End If
End Sub

' --- de controle ---------------------------------------------------------------------------

' Controleert ``alleen`` (een tabblad) of, als dat Nothing is, de hele werkmap.
Private Sub Controleren(alleen As Worksheet)
    Dim ws As Worksheet
    Dim controle As Worksheet
    Dim gezien As Collection
    Dim toegestaan As Collection
    Dim maxTekst As Long
    Dim bericht As String
    Dim titel As String
    Dim eigen As String
    Dim normenVoor As Long
    Dim ingevuldVoor As Long
    Dim puntenVoor As Long
    Dim regel As Variant
    Dim beoordelaars As Long
    Dim tabelKop As Long

    Application.ScreenUpdating = False
    Set toegestaan = ToegestaneOordelen()
    maxTekst = MaxTekstlengte()
    Set gezien = New Collection
    Set mPerBeoordelaar = New Collection
    ' in een gedeelde werkmap staat de voortgang per beoordelaar boven de lijst met punten
    For Each ws In ThisWorkbook.Worksheets
        If alleen Is Nothing Or ws Is alleen Then
            If IsBeoordelaarsblad(ws) Then beoordelaars = beoordelaars + 1
        End If
    Next ws
    tabelKop = 4
    If beoordelaars > 0 Then tabelKop = 4 + beoordelaars + 2
    Set controle = ControleBlad(tabelKop)
    mNormen = 0
    mIngevuld = 0
    mPunten = 0
    mRegel = tabelKop + 1
    For Each ws In ThisWorkbook.Worksheets
        If alleen Is Nothing Or ws Is alleen Then
            eigen = Eigenaar(ws)
            If KopRegel(ws) > 0 And Len(eigen) > 0 Then
                ' een beoordelaar van een gedeelde werkmap: elke norm staat op elk tabblad
                normenVoor = mNormen
                ingevuldVoor = mIngevuld
                puntenVoor = mPunten
                ControleerBlad ws, controle, toegestaan, maxTekst, New Collection
                mPerBeoordelaar.Add Array(eigen, mIngevuld - ingevuldVoor, mNormen - normenVoor, _
                    mPunten - puntenVoor)
            ElseIf KopRegel(ws) > 0 Then
                ControleerBlad ws, controle, toegestaan, maxTekst, gezien
            ElseIf Len(eigen) > 0 And TeamKopRegel(ws) > 0 Then
                ControleerTeksten ws, controle, maxTekst
            End If
        End If
    Next ws
    If mPerBeoordelaar.Count > 0 Then SchrijfVoortgang controle
    If mPunten = 0 Then
        If alleen Is Nothing Then
            controle.Cells(mRegel, 1).Value = "Alles is ingevuld en geldig. U kunt de werkmap terugsturen."
        Else
            controle.Cells(mRegel, 1).Value = "Alles op het tabblad van " & Eigenaar(alleen) & _
                " is ingevuld en geldig."
        End If
    End If
    If alleen Is Nothing Then
        controle.Cells(2, 1).Value = "Gecontroleerd op " & Format$(Now, "d-m-yyyy hh:mm") & _
            ": " & Voortgang() & ", " & Aantal(mPunten, "punt", "punten") & " om te verbeteren."
    Else
        controle.Cells(2, 1).Value = "Tabblad van " & Eigenaar(alleen) & " gecontroleerd op " & _
            Format$(Now, "d-m-yyyy hh:mm") & ": " & Voortgang() & ", " & _
            Aantal(mPunten, "punt", "punten") & " om te verbeteren."
    End If
    Application.ScreenUpdating = True

    titel = "Controle werkmap"
    If Not alleen Is Nothing Then titel = "Controle tabblad"
    bericht = Voortgang() & "." & vbCrLf & vbCrLf
    If mPerBeoordelaar.Count > 1 Then
        bericht = ""
        For Each regel In mPerBeoordelaar
            bericht = bericht & regel(0) & ": " & regel(1) & " van de " & regel(2) & _
                " normen beoordeeld." & vbCrLf
        Next regel
        bericht = bericht & vbCrLf
    End If
    If mPunten = 0 Then
        If alleen Is Nothing Then
            bericht = bericht & "Alles is ingevuld en geldig. U kunt de werkmap terugsturen."
        Else
            bericht = bericht & "Alles op dit tabblad is ingevuld en geldig."
        End If
        MsgBox bericht, vbInformation, titel
    Else
        bericht = bericht & Aantal(mPunten, "punt", "punten") & " om te verbeteren: de " & _
            "cellen zijn oranje gekleurd en staan op het blad Controle, met een link naar elke cel."
        MsgBox bericht, vbExclamation, titel
        controle.Activate
    End If
End Sub

' De voortgang per beoordelaar bovenaan het blad Controle (gedeelde werkmap), in de regels
' die Controleren boven de lijst met punten vrijhoudt.
Private Sub SchrijfVoortgang(controle As Worksheet)
    Dim regel As Variant
    Dim r As Long

    r = 4
    controle.Cells(r, 1).Value = "Beoordelaar"
    controle.Cells(r, 4).Value = "Voortgang"
    controle.Range("A4:D4").Font.Bold = True
    For Each regel In mPerBeoordelaar
        r = r + 1
        controle.Cells(r, 1).Value = regel(0)
        controle.Cells(r, 1).WrapText = True
        controle.Cells(r, 4).Value = regel(1) & " van de " & regel(2) & " normen beoordeeld, " & _
            Aantal(CLng(regel(3)), "punt", "punten") & " om te verbeteren"
    Next regel
End Sub

' Kijkt op het tabblad Team alleen de lengte van de teksten na: daar staan geen oordelen.
Private Sub ControleerTeksten(ws As Worksheet, controle As Worksheet, maxTekst As Long)
    Dim kop As Long
    Dim kolNorm As Long
    Dim laatsteKolom As Long
    Dim laatste As Long
    Dim r As Long
    Dim c As Long
    Dim normId As String
    Dim kanKleuren As Boolean
    Dim wasBeveiligd As Boolean

    kop = TeamKopRegel(ws)
    kolNorm = KolomVan(ws, kop, KOP_NORM)
    laatsteKolom = ws.Cells(kop, ws.Columns.Count).End(xlToLeft).Column
    laatste = ws.Cells(ws.Rows.Count, kolNorm).End(xlUp).Row
    wasBeveiligd = ws.ProtectContents
    kanKleuren = Ontgrendel(ws)
    If kanKleuren Then
        For r = kop + 1 To ws.UsedRange.Row + ws.UsedRange.Rows.Count - 1
            WisMarkering ws, r, laatsteKolom
        Next r
    End If
    For r = kop + 1 To laatste
        normId = Tekst(ws.Cells(r, kolNorm))
        If Len(normId) > 0 Then
            For c = 1 To laatsteKolom
                If Not ws.Cells(r, c).Locked Then
                    If Len(Tekst(ws.Cells(r, c))) > maxTekst Then
                        Meld controle, ws.Cells(r, c), normId, "De tekst is " & _
                            Len(Tekst(ws.Cells(r, c))) & " tekens lang; er mogen er hoogstens " & _
                            maxTekst & " zijn.", kanKleuren
                    End If
                End If
            Next c
        End If
    Next r
    If kanKleuren And wasBeveiligd Then Vergrendel ws
End Sub

' --- per blad --------------------------------------------------------------------------

Private Sub ControleerBlad(ws As Worksheet, controle As Worksheet, toegestaan As Collection, _
        maxTekst As Long, gezien As Collection)
    Dim kop As Long
    Dim kolNorm As Long
    Dim kolOordeel As Long
    Dim kolAccent As Long
    Dim laatsteKolom As Long
    Dim laatste As Long
    Dim r As Long
    Dim c As Long
    Dim normId As String
    Dim oordeel As String
    Dim waarde As String
    Dim kanKleuren As Boolean
    Dim wasBeveiligd As Boolean

    kop = KopRegel(ws)
    kolNorm = KolomVan(ws, kop, KOP_NORM)
    kolOordeel = KolomVan(ws, kop, KOP_OORDEEL)
    kolAccent = KolomVan(ws, kop, KOP_ACCENT)
    laatsteKolom = ws.Cells(kop, ws.Columns.Count).End(xlToLeft).Column
    laatste = ws.Cells(ws.Rows.Count, kolNorm).End(xlUp).Row
    wasBeveiligd = ws.ProtectContents
    kanKleuren = Ontgrendel(ws)
    ' eerst de kleur van een eerdere controle weg, ook op regels die er niet meer toe doen
    If kanKleuren Then
        For r = kop + 1 To ws.UsedRange.Row + ws.UsedRange.Rows.Count - 1
            WisMarkering ws, r, laatsteKolom
        Next r
    End If

    For r = kop + 1 To laatste
        normId = Tekst(ws.Cells(r, kolNorm))
        If Len(normId) > 0 Then
            If AlGezien(gezien, normId) Then
                Meld controle, ws.Cells(r, kolNorm), normId, _
                    "Deze norm staat twee keer in de werkmap; verwijder de dubbele regel.", kanKleuren
            Else
                mNormen = mNormen + 1
                oordeel = Tekst(ws.Cells(r, kolOordeel))
                If Len(oordeel) = 0 Then
                    Meld controle, ws.Cells(r, kolOordeel), normId, _
                        "Oordeel ontbreekt: kies een oordeel uit de lijst.", kanKleuren
                ElseIf Not GeldigOordeel(oordeel, toegestaan) Then
                    Meld controle, ws.Cells(r, kolOordeel), normId, _
                        """" & oordeel & """ is geen oordeel uit de lijst; kies er een uit de lijst.", _
                        kanKleuren
                Else
                    mIngevuld = mIngevuld + 1
                End If
                If kolAccent > 0 Then
                    waarde = Tekst(ws.Cells(r, kolAccent))
                    If Not GeldigAccent(waarde) Then
                        Meld controle, ws.Cells(r, kolAccent), normId, _
                            "Accent is ja of nee (of leeg), niet """ & waarde & """.", kanKleuren
                    End If
                End If
                For c = 1 To laatsteKolom
                    If c <> kolOordeel And c <> kolAccent And Not ws.Cells(r, c).Locked Then
                        If Len(Tekst(ws.Cells(r, c))) > maxTekst Then
                            Meld controle, ws.Cells(r, c), normId, "De tekst is " & _
                                Len(Tekst(ws.Cells(r, c))) & " tekens lang; er mogen er hoogstens " & _
                                maxTekst & " zijn.", kanKleuren
                        End If
                    End If
                Next c
            End If
        End If
    Next r
    If kanKleuren And wasBeveiligd Then Vergrendel ws
End Sub

' Zet een punt op het blad Controle en kleurt de cel (als het blad dat toelaat).
Private Sub Meld(controle As Worksheet, cel As Range, normId As String, wat As String, _
        kleuren As Boolean)
    Dim adres As String

    adres = "'" & Replace(cel.Worksheet.Name, "'", "''") & "'!" & cel.Address(False, False)
    controle.Cells(mRegel, 1).Value = cel.Worksheet.Name
    controle.Hyperlinks.Add Anchor:=controle.Cells(mRegel, 2), Address:="", _
        SubAddress:=adres, TextToDisplay:=cel.Address(False, False)
    controle.Cells(mRegel, 3).Value = normId
    controle.Cells(mRegel, 4).Value = wat
    If kleuren Then cel.Interior.Color = KLEUR_MARKERING
    mRegel = mRegel + 1
    mPunten = mPunten + 1
End Sub

' Haalt de oranje kleur van een eerdere controle weg (alleen die kleur: andere opmaak blijft).
Private Sub WisMarkering(ws As Worksheet, r As Long, laatsteKolom As Long)
    Dim c As Long

    For c = 1 To laatsteKolom
        If ws.Cells(r, c).Interior.Color = KLEUR_MARKERING Then
            If ws.Cells(r, c).Locked Then
                ws.Cells(r, c).Interior.Color = KLEUR_VAST
            Else
                ws.Cells(r, c).Interior.Color = KLEUR_INVOER
            End If
        End If
    Next c
End Sub

' --- regels --------------------------------------------------------------------------------

' Een oordeel is geldig als het (zonder hoofdletters, spaties, punten en streepjes) een
' label of code uit de lijst is, of een hele score ("2", "2,0").
Private Function GeldigOordeel(ByVal oordeel As String, toegestaan As Collection) As Boolean
    Dim sleutel As String
    Dim gevonden As String

    sleutel = Getal(oordeel)
    If Len(sleutel) = 0 Then sleutel = Normaliseer(oordeel)
    If Len(sleutel) = 0 Then
        GeldigOordeel = False
        Exit Function
    End If
    On Error Resume Next
    gevonden = toegestaan.Item(sleutel)
    GeldigOordeel = (Err.Number = 0)
    On Error GoTo 0
End Function

Private Function GeldigAccent(ByVal waarde As String) As Boolean
    Select Case Normaliseer(waarde)
        Case "", "ja", "j", "yes", "y", "x", "waar", "true", "1", "nee", "n", "no", "onwaar", _
                "false", "0"
            GeldigAccent = True
        Case Else
            GeldigAccent = False
    End Select
End Function

' "2", "+2", "2.0" of "2,00" wordt "#2" (zo staan scores in de lijst); anders "".
Private Function Getal(ByVal tekst As String) As String
    Dim i As Long
    Dim cijfers As String
    Dim teken As String
    Dim naKomma As Boolean

    tekst = Trim$(tekst)
    If Left$(tekst, 1) = "+" Then tekst = Mid$(tekst, 2)
    For i = 1 To Len(tekst)
        teken = Mid$(tekst, i, 1)
        If teken = "." Or teken = "," Then
            If naKomma Or Len(cijfers) = 0 Then
                Getal = ""
                Exit Function
            End If
            naKomma = True
        ElseIf teken >= "0" And teken <= "9" Then
            If naKomma And teken <> "0" Then
                Getal = ""
                Exit Function
            End If
            If Not naKomma Then cijfers = cijfers & teken
        Else
            Getal = ""
            Exit Function
        End If
    Next i
    If Len(cijfers) = 0 Then
        Getal = ""
    Else
        Getal = "#" & CStr(CLng(cijfers))
    End If
End Function

' Kleine letters, zonder spaties, punten, liggende en onderstreepjes: "N.v.t." wordt "nvt".
Private Function Normaliseer(ByVal tekst As String) As String
    Dim teken As Variant

    tekst = LCase$(tekst)
    For Each teken In Array(" ", ".", "_", "-", vbTab, vbCr, vbLf, ChrW(160))
        tekst = Replace(tekst, teken, "")
    Next teken
    Normaliseer = tekst
End Function

' --- de werkmap ----------------------------------------------------------------------------

' De kopregel van een normblad: de regel met de koppen Norm en Oordeel; 0 als het blad geen
' normblad is.
Private Function KopRegel(ws As Worksheet) As Long
    Dim r As Long

    KopRegel = 0
    If ws.Name = BLAD_START Or ws.Name = BLAD_OVERZICHT Or ws.Name = BLAD_CONTROLE Then
        Exit Function
    End If
    If Left$(ws.Name, 1) = "_" Then Exit Function
    For r = 1 To KOPREGELS_ZOEKEN
        If KolomVan(ws, r, KOP_NORM) > 0 Then
            If KolomVan(ws, r, KOP_OORDEEL) > 0 Then
                KopRegel = r
                Exit Function
            End If
        End If
    Next r
End Function

' De kopregel van het tabblad Team van een gedeelde werkmap: de regel met de kop Norm op een
' tabblad met een regel "Ingevuld door" maar zonder kolom Oordeel; 0 als het dat niet is.
Private Function TeamKopRegel(ws As Worksheet) As Long
    Dim r As Long

    TeamKopRegel = 0
    If KopRegel(ws) > 0 Or Len(Eigenaar(ws)) = 0 Then Exit Function
    For r = 1 To KOPREGELS_ZOEKEN
        If KolomVan(ws, r, KOP_NORM) > 0 Then
            TeamKopRegel = r
            Exit Function
        End If
    Next r
End Function

' True voor het tabblad van een beoordelaar in een gedeelde werkmap: een normblad met een
' regel "Ingevuld door".
Private Function IsBeoordelaarsblad(ws As Worksheet) As Boolean
    IsBeoordelaarsblad = False
    If KopRegel(ws) > 0 Then IsBeoordelaarsblad = (Len(Eigenaar(ws)) > 0)
End Function

' Van wie een tabblad van een gedeelde werkmap is: de eerste tekst rechts van het label
' "Ingevuld door" boven de koppen; "" op een blad zonder dat label (zoals kwl_office leest).
Private Function Eigenaar(ws As Worksheet) As String
    Dim r As Long
    Dim c As Long
    Dim k As Long
    Dim laatste As Long
    Dim waarde As String

    Eigenaar = ""
    If ws.Name = BLAD_START Or ws.Name = BLAD_OVERZICHT Or ws.Name = BLAD_CONTROLE Then
        Exit Function
    End If
    If Left$(ws.Name, 1) = "_" Then Exit Function
    For r = 1 To KOPREGELS_ZOEKEN
        laatste = ws.Cells(r, ws.Columns.Count).End(xlToLeft).Column
        For c = 1 To laatste
            waarde = Tekst(ws.Cells(r, c))
            If Len(waarde) > 0 And Len(waarde) < 40 Then
                If Normaliseer(waarde) = Normaliseer(LABEL_EIGENAAR) Then
                    For k = c + 1 To laatste
                        If Len(Tekst(ws.Cells(r, k))) > 0 Then
                            Eigenaar = Tekst(ws.Cells(r, k))
                            Exit Function
                        End If
                    Next k
                    Exit Function
                End If
            End If
        Next c
    Next r
End Function

' "1 punt", "3 punten".
Private Function Aantal(n As Long, enkelvoud As String, meervoud As String) As String
    If n = 1 Then
        Aantal = n & " " & enkelvoud
    Else
        Aantal = n & " " & meervoud
    End If
End Function

' De kolom met kop ``kop`` in regel ``regel``; 0 als die er niet is.
Private Function KolomVan(ws As Worksheet, regel As Long, kop As String) As Long
    Dim c As Long
    Dim laatste As Long

    KolomVan = 0
    laatste = ws.Cells(regel, ws.Columns.Count).End(xlToLeft).Column
    For c = 1 To laatste
        If Normaliseer(Tekst(ws.Cells(regel, c))) = Normaliseer(kop) Then
            KolomVan = c
            Exit Function
        End If
    Next c
End Function

' De tekst van een cel zoals een mens hem ziet; "" voor leeg of een foutwaarde.
Private Function Tekst(cel As Range) As String
    If IsError(cel.Value) Then
        Tekst = ""
    ElseIf IsEmpty(cel.Value) Then
        Tekst = ""
    Else
        Tekst = Trim$(CStr(cel.Value))
    End If
End Function

' De toegestane oordelen (labels, codes en scores, genormaliseerd) uit de werkmap zelf.
Private Function ToegestaneOordelen() As Collection
    Dim lijst As New Collection
    Dim bereik As Range
    Dim cel As Range
    Dim sleutel As String

    On Error Resume Next
    Set bereik = ThisWorkbook.Names(NAAM_OORDELEN).RefersToRange
    On Error GoTo 0
    If Not bereik Is Nothing Then
        For Each cel In bereik.Cells
            sleutel = Tekst(cel)
            If Len(sleutel) > 0 Then
                ' een sleutel die er al in staat geeft een fout; die mag genegeerd worden
                On Error Resume Next
                lijst.Add sleutel, sleutel
                On Error GoTo 0
            End If
        Next cel
    End If
    Set ToegestaneOordelen = lijst
End Function

Private Function MaxTekstlengte() As Long
    MaxTekstlengte = 5000
    On Error Resume Next
    MaxTekstlengte = CLng(ThisWorkbook.Names(NAAM_MAX_TEKST).RefersToRange.Value)
    On Error GoTo 0
End Function

' True als de norm al eerder in de werkmap stond; onthoudt hem anders.
Private Function AlGezien(gezien As Collection, normId As String) As Boolean
    On Error Resume Next
    gezien.Add normId, normId
    AlGezien = (Err.Number <> 0)
    On Error GoTo 0
End Function

' Het blad Controle, leeggemaakt en met de koppen van de lijst in regel ``kopRegel``; wordt
' gemaakt als het er nog niet is.
Private Function ControleBlad(kopRegel As Long) As Worksheet
    Dim ws As Worksheet

    On Error Resume Next
    Set ws = ThisWorkbook.Worksheets(BLAD_CONTROLE)
    On Error GoTo 0
    If ws Is Nothing Then
        Set ws = ThisWorkbook.Worksheets.Add(After:=ThisWorkbook.Worksheets(BLAD_START))
        ws.Name = BLAD_CONTROLE
    End If
    ws.Hyperlinks.Delete
    ws.Cells.Clear
    ws.Cells(1, 1).Value = "Controle van de werkmap"
    ws.Cells(1, 1).Font.Bold = True
    ws.Cells(1, 1).Font.Size = 14
    ws.Cells(kopRegel, 1).Value = "Blad"
    ws.Cells(kopRegel, 2).Value = "Cel"
    ws.Cells(kopRegel, 3).Value = "Norm"
    ws.Cells(kopRegel, 4).Value = "Wat te doen"
    ws.Range("A" & kopRegel & ":D" & kopRegel).Font.Bold = True
    ws.Columns(1).ColumnWidth = 24
    ws.Columns(2).ColumnWidth = 8
    ws.Columns(3).ColumnWidth = 8
    ' smal genoeg om zonder schalen op A4 staand af te drukken; lange punten lopen door
    ws.Columns(4).ColumnWidth = 52
    ws.Columns(4).WrapText = True
    Set ControleBlad = ws
End Function

Private Function Voortgang() As String
    Dim deel As Long

    If mNormen > 0 Then deel = Int(100 * mIngevuld / mNormen)
    Voortgang = mIngevuld & " van de " & mNormen & " normen hebben een geldig oordeel (" & _
        deel & "%)"
End Function

Private Sub GaNaar(ws As Worksheet, r As Long, c As Long)
    ws.Activate
    ws.Cells(r, c).Select
End Sub

' Beveiliging van een normblad tijdelijk opheffen om te kunnen kleuren. De bladen van
' kwl_office hebben geen wachtwoord; heeft iemand er een gezet, dan wordt niet gekleurd.
Private Function Ontgrendel(ws As Worksheet) As Boolean
    If Not ws.ProtectContents Then
        Ontgrendel = True
        Exit Function
    End If
    On Error Resume Next
    ws.Unprotect
    Ontgrendel = (Err.Number = 0) And Not ws.ProtectContents
    On Error GoTo 0
End Function

' Dezelfde beveiliging als kwl_office zet: teksten vast, invoer vrij; filteren en kolombreedte
' en rijhoogte aanpassen mag (sorteren staat aan, maar kan niet met vaste teksten).
Private Sub Vergrendel(ws As Worksheet)
    ws.Protect DrawingObjects:=True, Contents:=True, Scenarios:=True, _
        AllowFormattingColumns:=True, AllowFormattingRows:=True, AllowSorting:=True, _
        AllowFiltering:=True
End Sub
