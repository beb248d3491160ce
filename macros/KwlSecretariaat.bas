Attribute VB_Name = "KwlSecretariaat"
' KwlSecretariaat - de knoppen van het dashboard van het secretariaat (dashboard.xlsm)
'
' Elke knop voert een stap van de ronde uit met kwl_office, via xlwings (RunPython):
'   Uitgeven        - werkmappen maken voor wat het manifest vraagt (kwl round issue)
'   Innemen         - de inbox innemen en intake.xlsx bijwerken (kwl round collect)
'   Rapporteren     - consolideren, rapporten, brieven, register (kwl round report)
'   StatusVerversen - alleen de stand en het manifest opnieuw inlezen (kwl round status)
' Python schrijft daarna de melding, de stand en het manifest terug in dit dashboard.
'
' Het dashboard hoort in de rondemap te staan: die map is ThisWorkbook.Path.
' Nodig: Python met kwl_office en xlwings, en de xlwings-invoegtoepassing in Excel
' (xlwings addin install). Zie de README van kwl_office, "Het dashboard".
' De bron staat in macros/KwlSecretariaat.bas van kwl_office; wijzig hem daar, niet hier.
Option Explicit

' De invoegtoepassing van xlwings en de Python-functie die elke knop aanroept.
Private Const XLWINGS_INVOEGTOEPASSING As String = "xlwings.xlam"
Private Const PYTHON_FUNCTIE As String = "kwl_office.xl"
' De bladen die alleen lezen zijn (beveiligd zonder wachtwoord); Python schrijft er de stand in.
Private Const BLAD_STAND As String = "Status"
Private Const BLAD_MANIFEST As String = "Manifest"

Public Sub Uitgeven()
    VoerUit "uitgeven"
End Sub

Public Sub Innemen()
    VoerUit "innemen"
End Sub

Public Sub Rapporteren()
    VoerUit "rapporteren"
End Sub

Public Sub StatusVerversen()
    VoerUit "status"
End Sub

' Roept kwl_office.xl.run_from_excel aan met de stap en het pad van dit dashboard.
' De aanroep gaat via Application.Run, zodat het dashboard ook opent (en deze melding
' geeft) op een computer zonder xlwings.
Private Sub VoerUit(ByVal stap As String)
    If Len(ThisWorkbook.Path) = 0 Then
        MsgBox "Sla het dashboard eerst op in de rondemap.", vbExclamation, "kwl dashboard"
        Exit Sub
    End If
    Application.StatusBar = "kwl: " & stap & " loopt..."
    Beveilig False
    On Error GoTo Mislukt
    Application.Run "'" & XLWINGS_INVOEGTOEPASSING & "'!RunPython", PythonOpdracht(stap)
    Beveilig True
    Application.StatusBar = False
    Exit Sub
Mislukt:
    Beveilig True
    Application.StatusBar = False
    MsgBox "De stap " & stap & " kon niet worden gestart: " & Err.Description & vbCrLf & _
        vbCrLf & "Is de xlwings-invoegtoepassing geïnstalleerd (xlwings addin install) en " & _
        "staat bij Interpreter de Python met kwl_office? Zie de README van kwl_office, " & _
        "onder Het dashboard. Zonder Excel-knoppen kan het ook: kwl round " & _
        "issue/collect/report/status in een terminal.", vbExclamation, "kwl dashboard"
End Sub

' Zet de beveiliging van de bladen Status en Manifest aan of (zolang Python schrijft) uit.
' Filteren blijft mogelijk.
Private Sub Beveilig(ByVal aan As Boolean)
    Dim naam As Variant

    On Error Resume Next
    For Each naam In Array(BLAD_STAND, BLAD_MANIFEST)
        If aan Then
            ThisWorkbook.Worksheets(naam).Protect DrawingObjects:=True, Contents:=True, _
                AllowFiltering:=True
        Else
            ThisWorkbook.Worksheets(naam).Unprotect
        End If
    Next naam
    On Error GoTo 0
End Sub

' De Python-regel die RunPython uitvoert, met het pad van dit dashboard als Python-tekst
' (backslashes en apostrofs krijgen een backslash).
Public Function PythonOpdracht(ByVal stap As String) As String
    PythonOpdracht = "import " & PYTHON_FUNCTIE & " as kwl; kwl.run_from_excel('" & stap & _
        "', '" & Replace(Replace(ThisWorkbook.FullName, "\", "\\"), "'", "\'") & "')"
End Function
