"""The demo's canned answers: what a management unit's staff start their most frequent replies from, in each
language a member may write in. Loaded by ``demo_load`` (only those missing)."""

from mutua.conversations.models import CannedAnswer

DEMO_CANNED_ANSWERS = [
    (
        "Accusé de réception de votre réclamation",
        "fr",
        "Bonjour,\n\nNous avons bien reçu votre réclamation et nous vous en remercions. Un gestionnaire l’étudie "
        "et vous répondra dans un délai de deux mois au plus tard. Si l’examen de votre dossier demande plus de "
        "temps, nous vous le dirons et vous expliquerons pourquoi.\n\nBien cordialement,\nL’unité de gestion",
    ),
    (
        "Acknowledgement of your complaint",
        "en",
        "Hello,\n\nWe have received your complaint, thank you. A handler is looking into it and will answer within "
        "two months at the latest. If your file needs more time, we will tell you so and explain why.\n\n"
        "Kind regards,\nThe management unit",
    ),
    (
        "Acuse de recibo de su reclamación",
        "es",
        "Buenos días:\n\nHemos recibido su reclamación y se lo agradecemos. Un gestor la está estudiando y le "
        "responderá en un plazo máximo de dos meses. Si su expediente necesita más tiempo, se lo diremos y le "
        "explicaremos por qué.\n\nAtentamente,\nLa unidad de gestión",
    ),
    (
        "الإقرار باستلام شكواكم",
        "ar",
        "مرحبًا،\n\nلقد استلمنا شكواكم ونشكركم عليها. يدرسها أحد الموظفين وسيرد عليكم خلال شهرين على الأكثر. "
        "وإذا احتاج ملفكم إلى وقت أطول، فسنخبركم بذلك ونشرح لكم السبب.\n\nمع خالص التحيات،\nوحدة الإدارة",
    ),
    (
        "Nous avons besoin d’un document",
        "fr",
        "Bonjour,\n\nPour traiter votre demande, il nous manque un document : [nom du document]. Vous pouvez "
        "le joindre en répondant à ce message, depuis votre espace adhérent (photo ou PDF).\n\n"
        "Bien cordialement,\nL’unité de gestion",
    ),
    (
        "We need a document",
        "en",
        "Hello,\n\nTo handle your request we still need one document: [name of the document]. You can attach it "
        "by replying to this message from your member space (a photo or a PDF).\n\nKind regards,\n"
        "The management unit",
    ),
    (
        "Necesitamos un documento",
        "es",
        "Buenos días:\n\nPara tramitar su solicitud nos falta un documento: [nombre del documento]. Puede "
        "adjuntarlo respondiendo a este mensaje desde su espacio de afiliado (una foto o un PDF).\n\n"
        "Atentamente,\nLa unidad de gestión",
    ),
    (
        "نحتاج إلى مستند",
        "ar",
        "مرحبًا،\n\nلمعالجة طلبكم، ينقصنا مستند واحد: [اسم المستند]. يمكنكم إرفاقه بالرد على هذه الرسالة من "
        "مساحتكم الخاصة (صورة أو ملف PDF).\n\nمع خالص التحيات،\nوحدة الإدارة",
    ),
    (
        "Remboursement en cours",
        "fr",
        "Bonjour,\n\nVotre demande de remboursement est complète et en cours de paiement : le virement part "
        "vers le compte enregistré dans votre espace, et la page de votre demande indique le jour du paiement.\n\n"
        "Bien cordialement,\nL’unité de gestion",
    ),
    (
        "Your reimbursement is on its way",
        "en",
        "Hello,\n\nYour claim is complete and being paid: the transfer goes to the account recorded in your "
        "member space, and your claim's page shows the day it is paid.\n\nKind regards,\nThe management unit",
    ),
]


def demo_canned_answers_load() -> None:
    for title, language, text in DEMO_CANNED_ANSWERS:
        CannedAnswer.objects.get_or_create(title=title, language=language, defaults={"text": text})
